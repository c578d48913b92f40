package org.epiloop.grid;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Grid follow-up (M2, M4).
 *
 * @param contactDue how soon a declared contact with a case must be followed up
 * @param highRiskArrivalDue the same for an arrival from a high-risk area
 * @param arrivalDue for any other arrival
 * @param declarationDue for a declaration of symptoms only
 * @param observationDays the default length of home observation
 * @param escalationScan how often overdue tasks are looked for and escalated
 * @param recallDue how soon a grid worker must reach a recalled person who was not retested in time
 */
@Validated
@ConfigurationProperties("epiloop.grid")
record GridProperties(@DefaultValue("2h") @NotNull Duration contactDue, @DefaultValue("2h") @NotNull Duration highRiskArrivalDue,
    @DefaultValue("12h") @NotNull Duration arrivalDue, @DefaultValue("24h") @NotNull Duration declarationDue,
    @DefaultValue("14") int observationDays, @DefaultValue("1m") @NotNull Duration escalationScan,
    @DefaultValue("4h") @NotNull Duration recallDue) {
  GridProperties {
    for (var e : java.util.Map.of("contact-due", contactDue, "high-risk-arrival-due", highRiskArrivalDue, "arrival-due", arrivalDue,
        "declaration-due", declarationDue, "escalation-scan", escalationScan,
        "recall-due", recallDue).entrySet()) {
      if (e.getValue().isNegative() || e.getValue().isZero()) {
        throw new IllegalArgumentException("epiloop.grid." + e.getKey() + " must be positive, was " + e.getValue());
      }
    }
    if (observationDays < 1 || observationDays > 30) {
      throw new IllegalArgumentException("epiloop.grid.observation-days must be 1–30, was " + observationDays);
    }
  }
}
