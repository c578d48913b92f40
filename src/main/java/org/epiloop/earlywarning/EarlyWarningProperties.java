package org.epiloop.earlywarning;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Early warning (D4): which rules run, in which order, and their thresholds' defaults — the values
 * in force until an official changes one at run time ({@link WarningSettings}, docs/adr/0035).
 *
 * @param rules the rules in force, in order (names of {@link WarningRule})
 * @param clusterPositives a cluster: at least this many positives in one grid or district
 * @param clusterWindow within this long
 * @param surgeRatio a surge: visits in the last hour at least this many times the district's mean for the same hour of the trailing days
 * @param surgeMinVisits and at least this many visits in that hour (a quiet district's 0 → 2 is no surge)
 * @param surgeBaselineDays the trailing days the same-hour mean is taken over
 * @param declaredFevers several declared fevers: at least this many in one grid
 * @param declaredFeverWindow within this long
 * @param scan how often the rules are evaluated
 */
@Validated
@ConfigurationProperties("epiloop.early-warning")
record EarlyWarningProperties(@DefaultValue({"POSITIVE_CLUSTER", "FEVER_VISIT_SURGE", "DECLARED_FEVER_CLUSTER"}) @NotNull List<String> rules,
    @DefaultValue("3") int clusterPositives, @DefaultValue("24h") @NotNull Duration clusterWindow, @DefaultValue("2.0") double surgeRatio,
    @DefaultValue("5") int surgeMinVisits, @DefaultValue("7") int surgeBaselineDays, @DefaultValue("3") int declaredFevers,
    @DefaultValue("24h") @NotNull Duration declaredFeverWindow, @DefaultValue("1m") @NotNull Duration scan) {
  EarlyWarningProperties {
    for (String r : rules) {
      try {
        WarningRule.valueOf(r);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("epiloop.early-warning.rules: no rule " + r + "; known: " + List.of(WarningRule.values()));
      }
    }
    if (clusterPositives < 2 || declaredFevers < 2 || surgeMinVisits < 1 || surgeBaselineDays < 1 || surgeBaselineDays > 28
        || !(surgeRatio > 1.0)) {
      throw new IllegalArgumentException("epiloop.early-warning: cluster-positives and declared-fevers ≥ 2, surge-min-visits ≥ 1, "
          + "surge-baseline-days 1–28, surge-ratio > 1");
    }
    for (Duration d : List.of(clusterWindow, declaredFeverWindow, scan)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("epiloop.early-warning windows and scan must be positive, was " + d);
      }
    }
  }
}
