package org.epiloop.lab;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The default interpretation rules (L3), as named instances so they can be listed, reordered,
 * combined with a lab's own rules, and cited in each verdict. A Ct is <em>detected</em> when it is
 * not null and below {@code detectedBelow}, <em>strong</em> when below {@code positiveBelow}.
 *
 * <ol>
 *   <li>{@link #BOTH_TARGETS_POSITIVE}: ORF1ab strong and N strong → POSITIVE;
 *   <li>{@link #SINGLE_OR_WEAK_TARGET}: a viral target detected but not both strong → INCONCLUSIVE;
 *   <li>{@link #NO_TARGET_CONTROL_OK}: no viral target detected, internal control detected → NEGATIVE;
 *   <li>{@link #NO_TARGET_NO_CONTROL}: no viral target and no internal control detected → INVALID.
 * </ol>
 *
 * <p>Each rule states its whole condition, so the four are mutually exclusive and together
 * cover every possible {@link CtValues}: either some viral target is detected (rule 1 if both
 * are strong, else rule 2) or none is (rule 3 or 4 by the internal control). Exactly one
 * default rule applies to any input, whatever their order. The internal control does not
 * matter once a viral target is detected (a high viral load can out-compete it).
 */
final class InterpretationRules {

  /** ORF1ab and N both below {@code positiveBelow}: POSITIVE. */
  static final InterpretationRule BOTH_TARGETS_POSITIVE = rule("BOTH_TARGETS_POSITIVE", Interpretation.POSITIVE,
      (ct, t) -> t.strong(ct.orf1ab()) && t.strong(ct.n()));

  /**
   * ORF1ab or N detected, but not both strong (only one target, or one between
   * {@code positiveBelow} and {@code detectedBelow}): INCONCLUSIVE.
   */
  static final InterpretationRule SINGLE_OR_WEAK_TARGET = rule("SINGLE_OR_WEAK_TARGET", Interpretation.INCONCLUSIVE,
      (ct, t) -> (t.detected(ct.orf1ab()) || t.detected(ct.n())) && !(t.strong(ct.orf1ab()) && t.strong(ct.n())));

  /** Neither ORF1ab nor N detected and the internal control detected: NEGATIVE. */
  static final InterpretationRule NO_TARGET_CONTROL_OK = rule("NO_TARGET_CONTROL_OK", Interpretation.NEGATIVE,
      (ct, t) -> !t.detected(ct.orf1ab()) && !t.detected(ct.n()) && t.detected(ct.ic()));

  /** Nothing detected, not even the internal control: INVALID. */
  static final InterpretationRule NO_TARGET_NO_CONTROL = rule("NO_TARGET_NO_CONTROL", Interpretation.INVALID,
      (ct, t) -> !t.detected(ct.orf1ab()) && !t.detected(ct.n()) && !t.detected(ct.ic()));

  private static final List<InterpretationRule> DEFAULTS =
      List.of(BOTH_TARGETS_POSITIVE, SINGLE_OR_WEAK_TARGET, NO_TARGET_CONTROL_OK, NO_TARGET_NO_CONTROL);

  private InterpretationRules() {}

  /** The four default rules in order (first match wins); an immutable list. */
  static List<InterpretationRule> defaults() {
    return DEFAULTS;
  }

  /** A rule that gives {@code result} whenever {@code when} holds. */
  static InterpretationRule rule(String name, Interpretation result, BiPredicate<CtValues, InterpretationProperties> when) {
    return new PredicateRule(name, result, when);
  }

  private record PredicateRule(String name, Interpretation result, BiPredicate<CtValues, InterpretationProperties> when)
      implements InterpretationRule {

    PredicateRule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(when, "when");
    }

    @Override
    public Optional<Interpretation> apply(CtValues ct, InterpretationProperties thresholds) {
      return when.test(ct, thresholds) ? Optional.of(result) : Optional.empty();
    }

    @Override
    public String toString() {
      return name + " → " + result;
    }
  }
}
