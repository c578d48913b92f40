package org.epiloop.samplebank;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * One rule of the keeping policy: given a released tube's interpretation, whether it is kept,
 * why, and for how long. Rules are tried in order; the first that keeps wins (like the
 * interpretation rules of the lab).
 */
interface KeepRule {

  /** Why a tube is kept. */
  enum Reason { POSITIVE, INCONCLUSIVE, NEGATIVE_SAMPLE }

  record Keep(Reason reason, Duration retention) {}

  String name();

  Optional<Keep> keep(String tubeCode, String interpretation);

  /** The policy in force, in order. */
  static List<KeepRule> policy(SampleBankProperties p) {
    return List.of(
        rule("positives-kept", (tube, i) -> "POSITIVE".equals(i) ? new Keep(Reason.POSITIVE, p.positiveRetention()) : null),
        rule("inconclusives-kept", (tube, i) -> "INCONCLUSIVE".equals(i) ? new Keep(Reason.INCONCLUSIVE, p.inconclusiveRetention()) : null),
        rule("negatives-sampled", (tube, i) -> "NEGATIVE".equals(i) && p.negativeSampleEvery() > 0
            && crc(tube) % p.negativeSampleEvery() == 0 ? new Keep(Reason.NEGATIVE_SAMPLE, p.negativeRetention()) : null));
  }

  private static long crc(String tube) {
    CRC32 c = new CRC32();
    c.update(tube.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  private static KeepRule rule(String name, java.util.function.BiFunction<String, String, Keep> f) {
    return new KeepRule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<Keep> keep(String tubeCode, String interpretation) {
        return Optional.ofNullable(f.apply(tubeCode, interpretation));
      }
    };
  }
}
