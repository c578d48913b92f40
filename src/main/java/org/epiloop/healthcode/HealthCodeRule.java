package org.epiloop.healthcode;

import java.time.Instant;
import java.util.Optional;

/** One named rule: given the facts, maybe a colour with a reason the person can read. */
interface HealthCodeRule {

  /** A rule's finding; {@code until} is when it stops applying by itself (null: until the facts change). */
  record Finding(String rule, HealthColor color, String code, String text, Instant until) {}

  String name();

  Optional<Finding> apply(HealthFacts facts, RuleSettings settings, Instant now);
}
