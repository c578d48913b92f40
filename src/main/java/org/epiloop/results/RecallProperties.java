package org.epiloop.results;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Recall follow-up (L5).
 *
 * @param overdueAfter a recalled person not retested this long after the recall is overdue:
 *     the recall pages mark them and the command centre raises RECALL_OVERDUE for their site;
 *     a notice to a site without opening hours names this time as "come by"
 */
@Validated
@ConfigurationProperties("epiloop.recalls")
record RecallProperties(@DefaultValue("6h") @NotNull Duration overdueAfter) {
  RecallProperties {
    if (overdueAfter.isNegative() || overdueAfter.isZero()) {
      throw new IllegalArgumentException("epiloop.recalls.overdue-after must be positive, was " + overdueAfter);
    }
  }
}
