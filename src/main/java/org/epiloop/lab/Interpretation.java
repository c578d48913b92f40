package org.epiloop.lab;

/**
 * The outcome for one sample (L3). Only {@link #NEGATIVE} and {@link #POSITIVE} are results a
 * person can be told; {@link #INCONCLUSIVE} (only one target, or only weakly) and
 * {@link #INVALID} (the internal control failed, so the sample itself is in doubt) both send
 * the person back for a retest.
 */
enum Interpretation {
  /** No viral target detected and the internal control shows the sample was good. */
  NEGATIVE,
  /** Both viral targets clearly detected. */
  POSITIVE,
  /** A viral target detected, but not both clearly: retest. */
  INCONCLUSIVE,
  /** Nothing detected, not even the internal control: the sample or extraction failed; retest. */
  INVALID;

  /** Whether the person must be sampled again. */
  boolean needsRetest() {
    return this == INCONCLUSIVE || this == INVALID;
  }
}
