package org.epiloop.labquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Each Westgard rule against textbook sequences (z-scores, oldest first): it fires at exactly the
 * points where the textbook says it does and at no other point of the sequence. Each sequence is
 * walked point by point, as runs arrive, and the indexes where the rule fires are compared.
 */
class WestgardRulesTest {

  /** The indexes of {@code zs} where {@code rule} fires when the points arrive one run at a time. */
  private static List<Integer> firesAt(WestgardRule rule, double... zs) {
    List<Integer> at = new ArrayList<>();
    List<Double> series = new ArrayList<>();
    for (int i = 0; i < zs.length; i++) {
      series.add(zs[i]);
      if (rule.violated(List.copyOf(series), List.of())) {
        at.add(i);
      }
    }
    return at;
  }

  @Test
  void oneTwoSWarnsBeyondTwoSdOnEitherSideOnly() {
    assertThat(firesAt(WestgardRules.ONE_2S, 0.5, 2.0, 2.01, -1.9, -2.5, 3.5, 1.0)).containsExactly(2, 4, 5);
    assertThat(WestgardRules.ONE_2S.severity()).isEqualTo(QcSeverity.WARNING);
  }

  @Test
  void oneThreeSRejectsBeyondThreeSdOnly() {
    assertThat(firesAt(WestgardRules.ONE_3S, 2.9, 3.0, 3.1, -2.5, -3.2, 0)).containsExactly(2, 4);
    assertThat(WestgardRules.ONE_3S.severity()).isEqualTo(QcSeverity.REJECTION);
  }

  @Test
  void twoTwoSRejectsTwoConsecutiveBeyondTwoSdOnTheSameSideAcrossRuns() {
    // +2.1 then +2.3: fires at the second; a −2.2 after them breaks the side; then two lows fire
    assertThat(firesAt(WestgardRules.TWO_2S, 0.1, 2.1, 2.3, -2.2, 1.0, -2.1, -2.4, 2.5, -2.5)).containsExactly(2, 6);
    // beyond 2 SD with a value at 2 SD between them: not consecutive
    assertThat(firesAt(WestgardRules.TWO_2S, 2.5, 2.0, 2.5)).isEmpty();
  }

  @Test
  void twoTwoSAlsoRejectsTwoLevelsBeyondTwoSdOnTheSameSideWithinARun() {
    assertThat(WestgardRules.TWO_2S.violated(List.of(0.0, 2.2), List.of(2.6))).isTrue();
    assertThat(WestgardRules.TWO_2S.violated(List.of(0.0, 2.2), List.of(-2.6))).as("opposite sides: R-4s, not 2-2s").isFalse();
    assertThat(WestgardRules.TWO_2S.violated(List.of(0.0, 2.2), List.of(1.9))).isFalse();
    assertThat(WestgardRules.TWO_2S.violated(List.of(0.0, 1.5), List.of(2.6))).as("judged on the value that is beyond").isFalse();
  }

  @Test
  void rangeFourSRejectsOnlyWithinARunOneAboveTwoAndOneBelowMinusTwo() {
    assertThat(WestgardRules.R_4S.violated(List.of(2.1), List.of(-2.1))).isTrue();
    assertThat(WestgardRules.R_4S.violated(List.of(-2.4), List.of(0.3, 2.2))).isTrue();
    // a range over 4 SD but not one beyond each 2 SD limit (the strict Westgard reading)
    assertThat(WestgardRules.R_4S.violated(List.of(3.5), List.of(-1.0))).isFalse();
    assertThat(WestgardRules.R_4S.violated(List.of(2.1), List.of(2.5))).isFalse();
    // across runs it never fires: the previous run's −2.5 is history, not the same run
    assertThat(firesAt(WestgardRules.R_4S, -2.5, 2.5, -2.5, 2.5)).isEmpty();
  }

  @Test
  void fourOneSRejectsFourConsecutiveBeyondOneSdOnTheSameSide() {
    assertThat(firesAt(WestgardRules.FOUR_1S, 0.0, 1.1, 1.5, 1.2, 1.8, 1.3, 0.9, 1.2, 1.2, 1.2, -1.1, -1.5, -1.2, -1.3))
        .containsExactly(4, 5, 13);
    // exactly 1 SD is not beyond it
    assertThat(firesAt(WestgardRules.FOUR_1S, 1.1, 1.0, 1.1, 1.1, 1.1)).isEmpty();
  }

  @Test
  void tenXRejectsTenConsecutiveOnTheSameSideOfTheMean() {
    double[] shift = {-0.5, 0.2, 0.4, 0.1, 0.3, 0.6, 0.2, 0.5, 0.1, 0.3, 0.8, 0.4, 0.0, 0.3};
    // index 1…10 are the first ten highs → fires at 10 and 11; the 0.0 at index 12 breaks the streak
    assertThat(firesAt(WestgardRules.TEN_X, shift)).containsExactly(10, 11);
    assertThat(firesAt(WestgardRules.TEN_X, -0.1, -0.2, -0.3, -0.1, -0.4, -0.2, -0.1, -0.6, -0.2, -0.3)).containsExactly(9);
  }

  @Test
  void theTextbookShiftSequenceTripsEachRuleWhereItShould() {
    // a stable control that shifts by +2.2 SD from run 6 on: 1-2s warns at 6, 2-2s rejects at 7,
    // 4-1s at 9 (runs 6–9), 10-x only once ten are high (runs 6–15)
    double[] zs = {0.3, -0.4, 0.6, -0.2, 0.1, -0.5, 2.3, 2.4, 2.1, 2.2, 2.5, 2.2, 2.3, 2.1, 2.4, 2.2};
    assertThat(firesAt(WestgardRules.ONE_2S, zs)).containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(firesAt(WestgardRules.TWO_2S, zs)).containsExactly(7, 8, 9, 10, 11, 12, 13, 14, 15);
    assertThat(firesAt(WestgardRules.FOUR_1S, zs)).containsExactly(9, 10, 11, 12, 13, 14, 15);
    assertThat(firesAt(WestgardRules.TEN_X, zs)).containsExactly(15);
    assertThat(firesAt(WestgardRules.ONE_3S, zs)).isEmpty();
  }

  @Test
  void rulesAreListedInOrderAndNamedRulesFailFastWhenUnknown() {
    assertThat(WestgardRules.defaults()).extracting(WestgardRule::name).containsExactly("1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "10-x");
    assertThat(WestgardRules.named(List.of("10-x", "1-3s"))).extracting(WestgardRule::name).containsExactly("10-x", "1-3s");
    assertThatThrownBy(() -> WestgardRules.named(List.of("2of3-2s"))).hasMessageContaining("2of3-2s");
  }

  // ---- properties of the rolling windows

  @Property
  void aRuleDependsOnlyOnItsWindow(@ForAll @Size(max = 30) List<@DoubleRange(min = -5, max = 5) Double> history,
      @ForAll @Size(min = 10, max = 10) List<@DoubleRange(min = -5, max = 5) Double> window) {
    // every rule looks at most at the last ten values of its series, so any history before
    // them changes no verdict
    List<Double> longer = new ArrayList<>(history);
    longer.addAll(window);
    for (WestgardRule rule : WestgardRules.defaults()) {
      assertThat(rule.violated(longer, List.of())).as(rule.name()).isEqualTo(rule.violated(window, List.of()));
    }
  }

  @Property
  void tenXFiresExactlyWhenTheLastTenShareASide(@ForAll @Size(min = 1, max = 25) List<@DoubleRange(min = -3, max = 3) Double> series) {
    int n = series.size();
    boolean expected = n >= 10 && (series.subList(n - 10, n).stream().allMatch(z -> z > 0)
        || series.subList(n - 10, n).stream().allMatch(z -> z < 0));
    assertThat(WestgardRules.TEN_X.violated(series, List.of())).isEqualTo(expected);
  }

  @Property
  void fourOneSFiresExactlyWhenTheLastFourAreBeyondOneSdOnOneSide(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -3, max = 3) Double> series) {
    int n = series.size();
    boolean expected = n >= 4 && (series.subList(n - 4, n).stream().allMatch(z -> z > 1)
        || series.subList(n - 4, n).stream().allMatch(z -> z < -1));
    assertThat(WestgardRules.FOUR_1S.violated(series, List.of())).isEqualTo(expected);
  }

  @Property
  void aControlWithinOneSdNeverBreaksAnyRuleBut10x(@ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = -1, max = 1) Double> series,
      @ForAll @Size(max = 3) List<@DoubleRange(min = -1, max = 1) Double> sameRun) {
    for (WestgardRule rule : WestgardRules.defaults()) {
      if (rule != WestgardRules.TEN_X) {
        assertThat(rule.violated(series, sameRun)).as(rule.name()).isFalse();
      }
    }
  }

  @Property
  void rulesAreSymmetricAboutTheMean(@ForAll @Size(min = 1, max = 15) List<@DoubleRange(min = -5, max = 5) Double> series,
      @ForAll @Size(max = 3) List<@DoubleRange(min = -5, max = 5) Double> sameRun) {
    // a low shift is as wrong as a high one: mirroring every value keeps every verdict
    List<Double> mirrored = series.stream().map(z -> -z).toList();
    List<Double> mirroredRun = sameRun.stream().map(z -> -z).toList();
    for (WestgardRule rule : WestgardRules.defaults()) {
      assertThat(rule.violated(mirrored, mirroredRun)).as(rule.name()).isEqualTo(rule.violated(series, sameRun));
    }
  }

  @Property
  void aRejectionBeyondThreeSdAlwaysAlsoWarns(@ForAll @DoubleRange(min = -6, max = 6) double z, @ForAll @IntRange(min = 0, max = 5) int before) {
    List<Double> series = new ArrayList<>();
    for (int i = 0; i < before; i++) {
      series.add(0.0);
    }
    series.add(z);
    if (WestgardRules.ONE_3S.violated(series, List.of())) {
      assertThat(WestgardRules.ONE_2S.violated(series, List.of())).isTrue();
    }
  }
}
