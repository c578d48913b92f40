package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.epiloop.shared.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default rules at their boundaries, custom thresholds and rules, and the control checks. */
class InterpreterTest {

  private final Interpreter interpreter = new Interpreter(InterpretationRules.defaults(), InterpretationProperties.DEFAULTS);

  private Verdict verdict(Double orf1ab, Double n, Double ic) {
    return interpreter.interpret(new CtValues(orf1ab, n, ic));
  }

  @ParameterizedTest(name = "ORF1ab={0} N={1} IC={2} -> {3} by {4}")
  @CsvSource(nullValues = "null", textBlock = """
      # both strong
      20.0,  22.0,  28.0,  POSITIVE,     BOTH_TARGETS_POSITIVE
      34.99, 34.99, 28.0,  POSITIVE,     BOTH_TARGETS_POSITIVE
      34.99, 34.99, null,  POSITIVE,     BOTH_TARGETS_POSITIVE
      0.01,  0.01,  59.99, POSITIVE,     BOTH_TARGETS_POSITIVE
      # one at the positive threshold is only weak
      35.0,  34.99, 28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      34.99, 35.0,  28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      35.0,  35.0,  28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      39.99, 39.99, 28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      # only one target
      20.0,  null,  28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      null,  20.0,  28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      39.99, null,  null,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      null,  39.99, 45.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      20.0,  40.0,  28.0,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      40.0,  34.0,  null,  INCONCLUSIVE, SINGLE_OR_WEAK_TARGET
      # no target detected: the internal control decides
      null,  null,  28.0,  NEGATIVE,     NO_TARGET_CONTROL_OK
      null,  null,  39.99, NEGATIVE,     NO_TARGET_CONTROL_OK
      40.0,  40.0,  39.99, NEGATIVE,     NO_TARGET_CONTROL_OK
      45.0,  null,  25.0,  NEGATIVE,     NO_TARGET_CONTROL_OK
      null,  null,  40.0,  INVALID,      NO_TARGET_NO_CONTROL
      null,  null,  null,  INVALID,      NO_TARGET_NO_CONTROL
      40.0,  59.99, 45.0,  INVALID,      NO_TARGET_NO_CONTROL
      """)
  void defaultRules(Double orf1ab, Double n, Double ic, Interpretation expected, String rule) {
    assertThat(verdict(orf1ab, n, ic)).isEqualTo(new Verdict(expected, rule));
  }

  /** Every combination of boundary values: exactly one default rule applies, and it is the one chosen. */
  @Test
  void exactlyOneDefaultRuleAppliesToEveryInput() {
    Double[] values = {null, 0.01, 20.0, 34.99, 35.0, 37.5, 39.99, 40.0, 45.0, 59.99};
    int checked = 0;
    for (Double orf1ab : values) {
      for (Double n : values) {
        for (Double ic : values) {
          CtValues ct = new CtValues(orf1ab, n, ic);
          List<String> matching = new ArrayList<>();
          for (InterpretationRule rule : InterpretationRules.defaults()) {
            rule.apply(ct, InterpretationProperties.DEFAULTS).ifPresent(i -> matching.add(rule.name()));
          }
          assertThat(matching).as("%s", ct).hasSize(1);
          assertThat(interpreter.interpret(ct).rule()).isEqualTo(matching.get(0));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(1000);
  }

  @Test
  void defaultRulesAreInTheDocumentedOrder() {
    assertThat(InterpretationRules.defaults()).extracting(InterpretationRule::name).containsExactly(
        "BOTH_TARGETS_POSITIVE", "SINGLE_OR_WEAK_TARGET", "NO_TARGET_CONTROL_OK", "NO_TARGET_NO_CONTROL");
    assertThat(new Interpreter(InterpretationProperties.DEFAULTS).rules()).isEqualTo(InterpretationRules.defaults());
    assertThatThrownBy(() -> InterpretationRules.defaults().add(InterpretationRules.BOTH_TARGETS_POSITIVE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void customThresholdsMoveTheBoundaries() {
    Interpreter strict = new Interpreter(InterpretationRules.defaults(), new InterpretationProperties(30, 38));
    assertThat(strict.interpret(new CtValues(29.99, 29.99, 25.0)).interpretation()).isEqualTo(Interpretation.POSITIVE);
    assertThat(strict.interpret(new CtValues(30.0, 29.99, 25.0)).interpretation()).isEqualTo(Interpretation.INCONCLUSIVE);
    assertThat(strict.interpret(new CtValues(37.99, null, 25.0)).interpretation()).isEqualTo(Interpretation.INCONCLUSIVE);
    assertThat(strict.interpret(new CtValues(38.0, 38.0, 37.99)).interpretation()).isEqualTo(Interpretation.NEGATIVE);
    assertThat(strict.interpret(new CtValues(null, null, 38.0)).interpretation()).isEqualTo(Interpretation.INVALID);

    Interpreter lenient = new Interpreter(InterpretationRules.defaults(), new InterpretationProperties(38, 45));
    assertThat(lenient.interpret(new CtValues(37.0, 37.0, 25.0)).interpretation()).isEqualTo(Interpretation.POSITIVE);
    assertThat(lenient.interpret(new CtValues(null, 44.99, 25.0)).interpretation()).isEqualTo(Interpretation.INCONCLUSIVE);
    assertThat(lenient.interpret(new CtValues(null, null, 44.99)).interpretation()).isEqualTo(Interpretation.NEGATIVE);
    // With the defaults the same values read differently.
    assertThat(interpreter.interpret(new CtValues(37.0, 37.0, 25.0)).interpretation()).isEqualTo(Interpretation.INCONCLUSIVE);
    assertThat(interpreter.interpret(new CtValues(null, null, 44.99)).interpretation()).isEqualTo(Interpretation.INVALID);
  }

  @Test
  void customRulesComeFirstAndAreNamedInTheVerdict() {
    // A lab that calls a single strong N positive (some kits do).
    InterpretationRule strongN = InterpretationRules.rule("STRONG_N_POSITIVE", Interpretation.POSITIVE,
        (ct, t) -> ct.n() != null && ct.n() < 30);
    List<InterpretationRule> rules = new ArrayList<>();
    rules.add(strongN);
    rules.addAll(InterpretationRules.defaults());
    Interpreter custom = new Interpreter(rules, InterpretationProperties.DEFAULTS);
    assertThat(custom.interpret(new CtValues(null, 25.0, 28.0))).isEqualTo(new Verdict(Interpretation.POSITIVE, "STRONG_N_POSITIVE"));
    assertThat(custom.interpret(new CtValues(null, 33.0, 28.0)))
        .isEqualTo(new Verdict(Interpretation.INCONCLUSIVE, "SINGLE_OR_WEAK_TARGET"));
  }

  @Test
  void noMatchingRuleMeansInvalidNeverNegative() {
    InterpretationRule onlyPositives = new InterpretationRule() {
      @Override
      public String name() {
        return "ONLY_POSITIVES";
      }

      @Override
      public Optional<Interpretation> apply(CtValues ct, InterpretationProperties t) {
        return t.strong(ct.orf1ab()) ? Optional.of(Interpretation.POSITIVE) : Optional.empty();
      }
    };
    Interpreter partial = new Interpreter(List.of(onlyPositives), InterpretationProperties.DEFAULTS);
    assertThat(partial.interpret(new CtValues(20.0, null, null))).isEqualTo(new Verdict(Interpretation.POSITIVE, "ONLY_POSITIVES"));
    assertThat(partial.interpret(new CtValues(null, null, 25.0)))
        .isEqualTo(new Verdict(Interpretation.INVALID, Interpreter.NO_RULE_MATCHED));
  }

  @Test
  void ruleListsMustBeUsable() {
    assertThatThrownBy(() -> new Interpreter(List.of(), InterpretationProperties.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Interpreter(
        List.of(InterpretationRules.BOTH_TARGETS_POSITIVE, InterpretationRules.BOTH_TARGETS_POSITIVE),
        InterpretationProperties.DEFAULTS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BOTH_TARGETS_POSITIVE");
    assertThatThrownBy(() -> new Interpreter(Arrays.asList(InterpretationRules.BOTH_TARGETS_POSITIVE, null),
        InterpretationProperties.DEFAULTS)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Interpreter(InterpretationRules.defaults(), null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void positiveControlNeedsBothTargetsDetected() {
    assertThat(interpreter.positiveControlPasses(new CtValues(25.0, 26.0, null))).isTrue();
    assertThat(interpreter.positiveControlPasses(new CtValues(39.99, 39.99, null))).isTrue();
    assertThat(interpreter.positiveControlPasses(new CtValues(40.0, 26.0, 28.0))).isFalse();
    assertThat(interpreter.positiveControlPasses(new CtValues(25.0, 40.0, 28.0))).isFalse();
    assertThat(interpreter.positiveControlPasses(new CtValues(25.0, null, 28.0))).isFalse();
    assertThat(interpreter.positiveControlPasses(new CtValues(null, 25.0, 28.0))).isFalse();
    assertThat(interpreter.positiveControlPasses(CtValues.none())).isFalse();
  }

  @Test
  void negativeControlNeedsNeitherTargetDetectedAndIgnoresTheInternalControl() {
    assertThat(interpreter.negativeControlPasses(CtValues.none())).isTrue();
    assertThat(interpreter.negativeControlPasses(new CtValues(null, null, 25.0))).isTrue();
    assertThat(interpreter.negativeControlPasses(new CtValues(40.0, 45.0, null))).isTrue();
    assertThat(interpreter.negativeControlPasses(new CtValues(39.99, null, null))).isFalse();
    assertThat(interpreter.negativeControlPasses(new CtValues(null, 39.99, null))).isFalse();
    assertThat(interpreter.negativeControlPasses(new CtValues(30.0, 30.0, 30.0))).isFalse();
  }

  @Test
  void controlChecksFollowTheConfiguredDetectionThreshold() {
    Interpreter strict = new Interpreter(new InterpretationProperties(30, 36));
    assertThat(strict.positiveControlPasses(new CtValues(35.99, 35.99, null))).isTrue();
    assertThat(strict.positiveControlPasses(new CtValues(36.0, 30.0, null))).isFalse();
    assertThat(strict.negativeControlPasses(new CtValues(36.0, 38.0, null))).isTrue();
  }

  @Test
  void retestIsNeededForInconclusiveAndInvalid() {
    assertThat(Interpretation.NEGATIVE.needsRetest()).isFalse();
    assertThat(Interpretation.POSITIVE.needsRetest()).isFalse();
    assertThat(Interpretation.INCONCLUSIVE.needsRetest()).isTrue();
    assertThat(Interpretation.INVALID.needsRetest()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "0,     40, epiloop.lab.interpretation.positive-below must be greater than 0",
      "-1,    40, epiloop.lab.interpretation.positive-below must be greater than 0",
      "NaN,   40, epiloop.lab.interpretation.positive-below must be greater than 0",
      "35,    61, epiloop.lab.interpretation.detected-below must be at most 60",
      "35,   NaN, epiloop.lab.interpretation.detected-below must be at most 60",
      "40,    35, epiloop.lab.interpretation.positive-below (40.0) must be less than epiloop.lab.interpretation.detected-below (35.0)",
      "35,    35, epiloop.lab.interpretation.positive-below (35.0) must be less than epiloop.lab.interpretation.detected-below (35.0)"})
  void thresholdsAreValidated(double positiveBelow, double detectedBelow, String message) {
    assertThatThrownBy(() -> new InterpretationProperties(positiveBelow, detectedBelow))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }

  @Test
  void thresholdEdgesThatAreAllowed() {
    assertThat(new InterpretationProperties(59.9, 60).detectedBelow()).isEqualTo(60);
    assertThat(new InterpretationProperties(0.5, 1).positiveBelow()).isEqualTo(0.5);
    assertThat(InterpretationProperties.DEFAULTS).isEqualTo(new InterpretationProperties(35, 40));
  }

  @Test
  void ctValuesAreValidated() {
    assertThat(new CtValues(0.001, 59.999, null).of(Target.N)).isEqualTo(59.999);
    for (double bad : new double[] {0, -1, 60, 75, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new CtValues(null, bad, null)).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.code()).isEqualTo("INVALID_CT");
        assertThat(e.field()).isEqualTo("ct.N");
      });
    }
    assertThatThrownBy(() -> new CtValues(60.0, null, null)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.field()).isEqualTo("ct.ORF1ab"));
    assertThatThrownBy(() -> new CtValues(null, null, 0.0)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.field()).isEqualTo("ct.IC"));
  }
}
