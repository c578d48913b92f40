package org.epiloop.lab;

import java.util.Optional;

/**
 * One step of the interpretation (L3), tried in order until one decides. Rules are objects
 * with names, not one big if-else, so that a lab can reorder or replace them and every verdict
 * can say which rule produced it.
 */
interface InterpretationRule {

  /** A stable upper-case name recorded with each verdict, for example {@code BOTH_TARGETS_POSITIVE}. */
  String name();

  /** The interpretation if this rule applies to these Ct values, empty to let the next rule decide. */
  Optional<Interpretation> apply(CtValues ct, InterpretationProperties thresholds);
}
