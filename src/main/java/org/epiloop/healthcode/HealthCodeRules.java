package org.epiloop.healthcode;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.epiloop.results.ResultStatus;

/**
 * The default rules, in order. Every rule that applies contributes its colour and reason; the
 * code takes the most restrictive colour, unless an official's override is in force, which
 * decides alone.
 */
final class HealthCodeRules {

  private HealthCodeRules() {}

  static final HealthCodeRule CONFIRMED_CASE = rule("CONFIRMED_CASE", (f, s, now) -> f.confirmedAt() == null ? Optional.empty()
      : Optional.of(new HealthCodeRule.Finding("CONFIRMED_CASE", HealthColor.RED, "CONFIRMED_CASE", "确诊病例 Confirmed case", null)));

  static final HealthCodeRule POSITIVE_RESULT = rule("POSITIVE_RESULT", (f, s, now) ->
      f.standing().latest() == ResultStatus.POSITIVE
          ? Optional.of(new HealthCodeRule.Finding("POSITIVE_RESULT", HealthColor.RED, "POSITIVE_RESULT", "核酸检测阳性 Positive PCR result"
              + sourceOf(f), null))
          : Optional.empty());

  /**
   * The newest result came from an outside lab and was negative: green like a local negative,
   * but the reason names the source, so a checkpoint officer and the resident see where it came
   * from (ADR 0025).
   */
  static final HealthCodeRule EXTERNAL_NEGATIVE = rule("EXTERNAL_NEGATIVE", (f, s, now) ->
      f.standing().latest() == ResultStatus.NEGATIVE && f.standing().latestSource() != null
          ? Optional.of(new HealthCodeRule.Finding("EXTERNAL_NEGATIVE", HealthColor.GREEN, "EXTERNAL_NEGATIVE",
              "核酸检测阴性 Negative PCR result" + sourceOf(f), null))
          : Optional.empty());

  private static String sourceOf(HealthFacts f) {
    return f.standing().latestSource() == null ? "" : " (" + f.standing().latestSource() + ")";
  }

  static final HealthCodeRule CLOSE_CONTACT = rule("CLOSE_CONTACT", (f, s, now) -> contact(f, "CLOSE", s.closeContactDays(), now)
      .map(until -> new HealthCodeRule.Finding("CLOSE_CONTACT", s.closeContactColor(), "CLOSE_CONTACT",
          "密切接触者 Close contact of a case, until " + until, until)));

  static final HealthCodeRule SECONDARY_CONTACT = rule("SECONDARY_CONTACT", (f, s, now) -> contact(f, "SECONDARY", s.secondaryContactDays(), now)
      .map(until -> new HealthCodeRule.Finding("SECONDARY_CONTACT", s.secondaryContactColor(), "SECONDARY_CONTACT",
          "次密切接触者 Contact of a close contact, until " + until, until)));

  static final HealthCodeRule RETEST_PENDING = rule("RETEST_PENDING", (f, s, now) -> f.standing().openRecall()
      ? Optional.of(new HealthCodeRule.Finding("RETEST_PENDING", s.retestColor(), "RETEST_PENDING",
          "需单管复检 A single-tube retest is needed; please get sampled again", null))
      : Optional.empty());

  static List<HealthCodeRule> defaults() {
    return List.of(CONFIRMED_CASE, POSITIVE_RESULT, EXTERNAL_NEGATIVE, CLOSE_CONTACT, SECONDARY_CONTACT, RETEST_PENDING);
  }

  /** The end of the latest exposure window of that level still in force. */
  private static Optional<Instant> contact(HealthFacts f, String level, int days, Instant now) {
    return f.contacts().stream().filter(c -> c.level().equals(level))
        .map(c -> c.exposedAt().plus(Duration.ofDays(days)))
        .filter(until -> until.isAfter(now))
        .max(Comparator.naturalOrder());
  }

  interface Body {
    Optional<HealthCodeRule.Finding> apply(HealthFacts facts, RuleSettings settings, Instant now);
  }

  static HealthCodeRule rule(String name, Body body) {
    return new HealthCodeRule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<Finding> apply(HealthFacts facts, RuleSettings settings, Instant now) {
        return body.apply(facts, settings, now);
      }
    };
  }
}
