package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.epiloop.monitoring.Declarations;
import org.epiloop.monitoring.RiskLevel;
import org.epiloop.results.PersonResults;
import org.junit.jupiter.api.Test;

/** The colour rules over declarations, one by one, without Spring: each finding, its reason and its end. */
class DeclaredRulesTest {

  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");
  private static final RuleSettings S = RuleSettings.DEFAULTS;

  private static HealthFacts facts(List<Instant> negatives, Declarations.Facts declared) {
    return new HealthFacts(null, List.of(), null, new PersonResults.Standing(null, null, null, false, null), negatives, declared,
        ZoneId.of("Asia/Shanghai"));
  }

  private static Declarations.Facts arrival(RiskLevel level, Instant at) {
    return new Declarations.Facts(List.of(new Declarations.Arrival("420106001", "测试区", at, level)), List.of(), List.of());
  }

  @Test
  void highRiskArrivalIsRedForItsWindowUnlessTwoNegativesSinceTheArrivalLie24HoursApart() {
    Instant arrived = NOW.minus(Duration.ofDays(2));
    var red = HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(), arrival(RiskLevel.HIGH, arrived)), S, NOW).orElseThrow();
    assertThat(red.color()).isEqualTo(HealthColor.RED);
    assertThat(red.until()).isEqualTo(arrived.plus(Duration.ofDays(14)));
    assertThat(red.text()).contains("测试区 (420106001)").contains("on 2026-12-05").contains("two negative tests 24 h apart");
    // 23 h apart, or one of them before the arrival: not enough
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(arrived.plusSeconds(3600), arrived.plus(Duration.ofHours(24))),
        arrival(RiskLevel.HIGH, arrived)), S, NOW)).isPresent();
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(arrived.minusSeconds(60), arrived.plus(Duration.ofHours(30))),
        arrival(RiskLevel.HIGH, arrived)), S, NOW)).isPresent();
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(arrived.plusSeconds(60), arrived.plus(Duration.ofHours(24)).plusSeconds(60)),
        arrival(RiskLevel.HIGH, arrived)), S, NOW)).isEmpty();
    // after the window, or from a medium-risk area: not this rule
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(), arrival(RiskLevel.HIGH, NOW.minus(Duration.ofDays(14)))), S, NOW))
        .isEmpty();
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(), arrival(RiskLevel.MEDIUM, arrived)), S, NOW)).isEmpty();
  }

  @Test
  void mediumRiskArrivalIsYellowUntilOneNegativeSinceTheArrival() {
    Instant arrived = NOW.minus(Duration.ofDays(1));
    var yellow = HealthCodeRules.MEDIUM_RISK_ARRIVAL.apply(facts(List.of(arrived.minusSeconds(1)), arrival(RiskLevel.MEDIUM, arrived)), S, NOW)
        .orElseThrow();
    assertThat(yellow.color()).isEqualTo(HealthColor.YELLOW);
    assertThat(yellow.text()).contains("medium-risk").contains("one negative test");
    assertThat(HealthCodeRules.MEDIUM_RISK_ARRIVAL.apply(facts(List.of(arrived.plusSeconds(1)), arrival(RiskLevel.MEDIUM, arrived)), S, NOW))
        .isEmpty();
    assertThat(HealthCodeRules.MEDIUM_RISK_ARRIVAL.apply(facts(List.of(), arrival(RiskLevel.LOW, arrived)), S, NOW)).isEmpty();
    assertThat(HealthCodeRules.MEDIUM_RISK_ARRIVAL.apply(facts(List.of(), arrival(null, arrived)), S, NOW)).isEmpty();
  }

  @Test
  void aDeclaredFeverIsYellowUntilANegativeSinceItBegan() {
    Instant since = NOW.minus(Duration.ofHours(10));
    Declarations.Facts fever = new Declarations.Facts(List.of(), List.of(since), List.of());
    var yellow = HealthCodeRules.DECLARED_FEVER.apply(facts(List.of(since.minusSeconds(1)), fever), S, NOW).orElseThrow();
    assertThat(yellow.color()).isEqualTo(HealthColor.YELLOW);
    assertThat(yellow.until()).isNull();
    assertThat(yellow.text()).contains("Fever declared");
    assertThat(HealthCodeRules.DECLARED_FEVER.apply(facts(List.of(since), fever), S, NOW)).isEmpty();
  }

  @Test
  void aGridWorkersUploadIsYellowUntilANegativeSinceTheUpload() {
    Instant at = NOW.minus(Duration.ofHours(2));
    Declarations.Facts upload = new Declarations.Facts(List.of(), List.of(), List.of(at));
    var yellow = HealthCodeRules.GRID_REPORTED.apply(facts(List.of(), upload), S, NOW).orElseThrow();
    assertThat(yellow.color()).isEqualTo(HealthColor.YELLOW);
    assertThat(yellow.text()).contains("grid worker");
    assertThat(HealthCodeRules.GRID_REPORTED.apply(facts(List.of(at.plusSeconds(5)), upload), S, NOW)).isEmpty();
  }

  @Test
  void theNewSettingsAreConfigurableAndChecked() {
    RuleSettings s = S.with("highRiskArrivalDays", "21").with("mediumRiskArrivalColor", "RED");
    assertThat(s.highRiskArrivalDays()).isEqualTo(21);
    assertThat(s.mediumRiskArrivalColor()).isEqualTo(HealthColor.RED);
    Instant arrived = NOW.minus(Duration.ofDays(16));
    assertThat(HealthCodeRules.HIGH_RISK_ARRIVAL.apply(facts(List.of(), arrival(RiskLevel.HIGH, arrived)), s, NOW)).isPresent();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> S.with("highRiskArrivalDays", "0"))
        .hasMessageContaining("1–60");
  }
}
