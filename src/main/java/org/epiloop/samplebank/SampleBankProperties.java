package org.epiloop.samplebank;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the bank keeps and for how long.
 *
 * @param negativeSampleEvery one negative tube in this many is kept (chosen by a hash of its
 *     code, so the choice is stable and spread over sites and hours); 0 keeps none
 * @param positiveRetention how long a positive tube is kept
 * @param inconclusiveRetention … an inconclusive one
 * @param negativeRetention … a sampled negative one
 */
@ConfigurationProperties("epiloop.sample-bank")
record SampleBankProperties(@DefaultValue("20") int negativeSampleEvery, @DefaultValue("730d") Duration positiveRetention,
    @DefaultValue("180d") Duration inconclusiveRetention, @DefaultValue("30d") Duration negativeRetention) {

  SampleBankProperties {
    if (negativeSampleEvery < 0) {
      throw new IllegalArgumentException("epiloop.sample-bank.negative-sample-every must be 0 (none) or more");
    }
    for (Duration d : new Duration[] {positiveRetention, inconclusiveRetention, negativeRetention}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("epiloop.sample-bank retention periods must be positive");
      }
    }
  }
}
