package org.epiloop.lab;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a well's Ct values into a {@link Verdict} (L3) and checks a run's controls. It is the
 * one place the lab module asks "what does this result mean", so rules and thresholds are
 * configured once and every verdict names the rule that decided it. Immutable and thread-safe.
 */
final class Interpreter {

  /**
   * The rule recorded when no configured rule applies (only possible with a custom rule list):
   * the sample is then {@link Interpretation#INVALID}, that is retested, never silently negative.
   */
  static final String NO_RULE_MATCHED = "NO_RULE_MATCHED";

  private final List<InterpretationRule> rules;
  private final InterpretationProperties thresholds;

  /**
   * @param rules tried in order, first match wins; not empty, names unique
   * @param thresholds the Ct cut-offs
   */
  Interpreter(List<InterpretationRule> rules, InterpretationProperties thresholds) {
    Objects.requireNonNull(rules, "rules");
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("at least one interpretation rule is needed");
    }
    Set<String> names = new HashSet<>();
    for (InterpretationRule rule : rules) {
      Objects.requireNonNull(rule, "rule");
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("two interpretation rules are named " + rule.name());
      }
    }
    this.rules = List.copyOf(rules);
  }

  /** The default rules with these thresholds. */
  Interpreter(InterpretationProperties thresholds) {
    this(InterpretationRules.defaults(), thresholds);
  }

  /** The rules in the order they are tried. */
  List<InterpretationRule> rules() {
    return rules;
  }

  InterpretationProperties thresholds() {
    return thresholds;
  }

  /** The verdict of the first rule that applies; {@link Interpretation#INVALID} if none does. */
  Verdict interpret(CtValues ct) {
    Objects.requireNonNull(ct, "ct");
    for (InterpretationRule rule : rules) {
      Optional<Interpretation> result = rule.apply(ct, thresholds);
      if (result != null && result.isPresent()) {
        return new Verdict(result.get(), rule.name());
      }
    }
    return new Verdict(Interpretation.INVALID, NO_RULE_MATCHED);
  }

  /** A positive control passes when both ORF1ab and N are detected. */
  boolean positiveControlPasses(CtValues ct) {
    Objects.requireNonNull(ct, "ct");
    return thresholds.detected(ct.orf1ab()) && thresholds.detected(ct.n());
  }

  /**
   * A negative control (no template) passes when neither ORF1ab nor N is detected. Its
   * internal control is ignored: a no-template well has no human cells to amplify.
   */
  boolean negativeControlPasses(CtValues ct) {
    Objects.requireNonNull(ct, "ct");
    return !thresholds.detected(ct.orf1ab()) && !thresholds.detected(ct.n());
  }
}
