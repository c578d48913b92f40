package org.epiloop.labquality;

import java.util.List;

/**
 * One Westgard rule, judged on one control value (the newest point of a Levey–Jennings series).
 * Rules are named objects in an ordered list, like the interpretation rules, so that a lab can
 * switch one off (configuration {@code epiloop.qc.rules}) and every violation can say which rule
 * it broke. Values are z-scores: (Ct − lot mean) / lot SD for the target.
 */
interface WestgardRule {

  /** The textbook name, e.g. {@code 2-2s}; stored with each violation. */
  String name();

  QcSeverity severity();

  /**
   * Whether the newest point breaks this rule.
   *
   * @param series this lot and target's values, oldest first, ending with the point judged
   *     (earlier wells of the same lot in the same run come just before it)
   * @param sameRun the other values of the same target in the same run (other levels, other
   *     wells of the same level)
   */
  boolean violated(List<Double> series, List<Double> sameRun);
}
