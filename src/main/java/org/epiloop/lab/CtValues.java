package org.epiloop.lab;

import org.epiloop.shared.ApiException;

/**
 * The cycle thresholds measured in one well, one per {@link Target}. A null Ct means the target
 * did not amplify ("Undetermined"), which is the normal result for a negative sample; that is
 * why these are nullable {@link Double}s rather than primitives with a magic value.
 *
 * @param orf1ab Ct of the ORF1ab gene, or null for no amplification
 * @param n Ct of the N gene, or null for no amplification
 * @param ic Ct of the internal control, or null for no amplification
 */
record CtValues(Double orf1ab, Double n, Double ic) {

  /** Every Ct is strictly greater than this. */
  static final double MIN_EXCLUSIVE = 0;
  /** Every Ct is strictly less than this (no PCR protocol runs 60 cycles). */
  static final double MAX_EXCLUSIVE = 60;

  /**
   * @throws ApiException 400 {@code INVALID_CT} (field {@code ct.ORF1ab}, {@code ct.N} or
   *     {@code ct.IC}) when a Ct is not null and not in (0, 60)
   */
  CtValues {
    check(Target.ORF1AB, orf1ab);
    check(Target.N, n);
    check(Target.IC, ic);
  }

  /** No target amplified, not even the internal control. */
  static CtValues none() {
    return new CtValues(null, null, null);
  }

  /** The Ct of one target, null for no amplification. */
  Double of(Target target) {
    return switch (target) {
      case ORF1AB -> orf1ab;
      case N -> n;
      case IC -> ic;
    };
  }

  /** Whether a measured Ct is plausible: 0 &lt; ct &lt; 60 (false for NaN and infinities). */
  static boolean inRange(double ct) {
    return ct > MIN_EXCLUSIVE && ct < MAX_EXCLUSIVE;
  }

  private static void check(Target target, Double ct) {
    if (ct != null && !inRange(ct)) {
      throw ApiException.badRequest("INVALID_CT", "ct." + target.label(),
          "Ct of " + target.label() + " must be greater than 0 and less than 60 (null for no amplification), was " + ct);
    }
  }
}
