package org.epiloop.lab;

import java.util.Objects;

/**
 * An interpretation together with the name of the rule that decided it, so a reviewer (and the
 * audit trail) can see why a sample came out as it did, not just what.
 *
 * @param interpretation the outcome
 * @param rule the {@link InterpretationRule#name()} that decided, or {@link Interpreter#NO_RULE_MATCHED}
 */
record Verdict(Interpretation interpretation, String rule) {
  Verdict {
    Objects.requireNonNull(interpretation, "interpretation");
    Objects.requireNonNull(rule, "rule");
  }
}
