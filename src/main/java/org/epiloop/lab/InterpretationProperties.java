package org.epiloop.lab;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Ct cut-offs of the interpretation rules (L3). Assay kits and labs differ in where they
 * draw the lines, so they are configuration rather than constants; a wrong setting would
 * silently turn positives into negatives, so it is rejected at start-up.
 *
 * @param positiveBelow a viral target with a Ct below this is clearly detected ("strong");
 *     {@code epiloop.lab.interpretation.positive-below}, default 35
 * @param detectedBelow a Ct below this counts as detected at all (weak between the two
 *     thresholds); the internal control must also be below it;
 *     {@code epiloop.lab.interpretation.detected-below}, default 40
 */
@Validated
@ConfigurationProperties("epiloop.lab.interpretation")
record InterpretationProperties(@DefaultValue("35") double positiveBelow, @DefaultValue("40") double detectedBelow) {

  /** The common kit cut-offs: positive below 35, detected below 40. */
  static final InterpretationProperties DEFAULTS = new InterpretationProperties(35, 40);

  /** @throws IllegalArgumentException unless 0 &lt; positiveBelow &lt; detectedBelow ≤ 60 */
  InterpretationProperties {
    if (!(positiveBelow > 0)) {
      throw new IllegalArgumentException(
          "epiloop.lab.interpretation.positive-below must be greater than 0, was " + positiveBelow);
    }
    if (!(detectedBelow <= CtValues.MAX_EXCLUSIVE)) {
      throw new IllegalArgumentException(
          "epiloop.lab.interpretation.detected-below must be at most 60, was " + detectedBelow);
    }
    if (!(positiveBelow < detectedBelow)) {
      throw new IllegalArgumentException("epiloop.lab.interpretation.positive-below (" + positiveBelow
          + ") must be less than epiloop.lab.interpretation.detected-below (" + detectedBelow + ")");
    }
  }

  /** Whether a Ct shows amplification: not null and below {@link #detectedBelow()}. */
  boolean detected(Double ct) {
    return ct != null && ct < detectedBelow;
  }

  /** Whether a Ct shows clear amplification: not null and below {@link #positiveBelow()}. */
  boolean strong(Double ct) {
    return ct != null && ct < positiveBelow;
  }
}
