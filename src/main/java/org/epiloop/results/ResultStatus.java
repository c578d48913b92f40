package org.epiloop.results;

/** A person's result for one sampling. */
public enum ResultStatus {
  /** Sampled; no released result yet. */
  PENDING,
  NEGATIVE,
  /** A single-tube positive: a critical result. */
  POSITIVE,
  /** Member of a positive pool: not a positive, but must be retested in a single tube. */
  RECALLED,
  /** Inconclusive or invalid: must be sampled again. */
  RETEST
}
