package org.epiloop.healthcode;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.epiloop.monitoring.Declarations;
import org.epiloop.monitoring.RiskLevel;
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

  /** Two negative tests at least this far apart end a high-risk arrival's rule. */
  static final Duration HIGH_RISK_TEST_GAP = Duration.ofHours(24);

  static final HealthCodeRule HIGH_RISK_ARRIVAL = rule("HIGH_RISK_ARRIVAL", (f, s, now) ->
      arrival(f, RiskLevel.HIGH, s.highRiskArrivalDays(), now, a -> f.twoNegativesApartSince(a.arrivedAt(), HIGH_RISK_TEST_GAP))
          .map(a -> new HealthCodeRule.Finding("HIGH_RISK_ARRIVAL", s.highRiskArrivalColor(), "HIGH_RISK_ARRIVAL",
              "来自高风险地区 Arrived from a high-risk area: " + origin(a) + " on " + day(f, a.arrivedAt())
                  + "; 需两次间隔24小时的核酸阴性 two negative tests 24 h apart are needed (or until "
                  + day(f, a.arrivedAt().plus(Duration.ofDays(s.highRiskArrivalDays()))) + ")",
              a.arrivedAt().plus(Duration.ofDays(s.highRiskArrivalDays())))));

  static final HealthCodeRule MEDIUM_RISK_ARRIVAL = rule("MEDIUM_RISK_ARRIVAL", (f, s, now) ->
      arrival(f, RiskLevel.MEDIUM, s.mediumRiskArrivalDays(), now, a -> f.negativeSince(a.arrivedAt()))
          .map(a -> new HealthCodeRule.Finding("MEDIUM_RISK_ARRIVAL", s.mediumRiskArrivalColor(), "MEDIUM_RISK_ARRIVAL",
              "来自中风险地区 Arrived from a medium-risk area: " + origin(a) + " on " + day(f, a.arrivedAt())
                  + "; 需一次核酸阴性 one negative test is needed (or until "
                  + day(f, a.arrivedAt().plus(Duration.ofDays(s.mediumRiskArrivalDays()))) + ")",
              a.arrivedAt().plus(Duration.ofDays(s.mediumRiskArrivalDays())))));

  static final HealthCodeRule DECLARED_FEVER = rule("DECLARED_FEVER", (f, s, now) ->
      f.declared().feversSince().stream().filter(since -> !f.negativeSince(since)).min(Comparator.naturalOrder())
          .map(since -> new HealthCodeRule.Finding("DECLARED_FEVER", s.declaredFeverColor(), "DECLARED_FEVER",
              "申报发热 Fever declared (since " + day(f, since) + "); 需一次核酸阴性 one negative test is needed", null)));

  static final HealthCodeRule GRID_REPORTED = rule("GRID_REPORTED", (f, s, now) ->
      f.declared().uploadedAt().stream().filter(at -> !f.negativeSince(at)).min(Comparator.naturalOrder())
          .map(at -> new HealthCodeRule.Finding("GRID_REPORTED", s.gridReportColor(), "GRID_REPORTED",
              "社区网格上报的风险人员 Reported as high-risk by a community grid worker on " + day(f, at)
                  + "; 需一次核酸阴性 one negative test is needed", null)));

  static List<HealthCodeRule> defaults() {
    return List.of(CONFIRMED_CASE, POSITIVE_RESULT, EXTERNAL_NEGATIVE, CLOSE_CONTACT, SECONDARY_CONTACT, RETEST_PENDING, HIGH_RISK_ARRIVAL,
        MEDIUM_RISK_ARRIVAL, DECLARED_FEVER, GRID_REPORTED);
  }

  /**
   * The arrival from an area of that level (at the arrival time) still within its window and not
   * yet answered by tests; the one whose window ends last.
   */
  private static Optional<Declarations.Arrival> arrival(HealthFacts f, RiskLevel level, int days, Instant now,
      java.util.function.Predicate<Declarations.Arrival> answered) {
    return f.declared().arrivals().stream()
        .filter(a -> a.level() == level && a.arrivedAt().plus(Duration.ofDays(days)).isAfter(now) && !answered.test(a))
        .max(Comparator.comparing(Declarations.Arrival::arrivedAt));
  }

  private static String origin(Declarations.Arrival a) {
    return (a.areaName() == null ? "" : a.areaName() + " ") + "(" + a.fromRegion() + ")";
  }

  private static String day(HealthFacts f, Instant at) {
    return at.atZone(f.zone()).toLocalDate().toString();
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
