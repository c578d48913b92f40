package org.epiloop.earlywarning;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The thresholds the rules read in one evaluation: the configured defaults
 * ({@code epiloop.early-warning.*}) with the settings officials changed at run time laid over them.
 *
 * @param clusterPositives a cluster: at least this many positives in one grid or district
 * @param clusterWindow within this long
 * @param surgeRatio a surge: visits in the last hour at least this many times the district's same-hour mean
 * @param surgeMinVisits and at least this many visits in that hour
 * @param surgeBaselineDays the trailing days the same-hour mean is taken over
 * @param declaredFevers several declared fevers: at least this many in one grid
 * @param declaredFeverWindow within this long
 */
record Thresholds(int clusterPositives, Duration clusterWindow, double surgeRatio, int surgeMinVisits, int surgeBaselineDays,
    int declaredFevers, Duration declaredFeverWindow) {

  static Thresholds defaults(EarlyWarningProperties p) {
    return new Thresholds(p.clusterPositives(), p.clusterWindow(), p.surgeRatio(), p.surgeMinVisits(), p.surgeBaselineDays(),
        p.declaredFevers(), p.declaredFeverWindow());
  }

  /** Every setting's value as text, in the setting's own unit. */
  Map<WarningSetting, String> values() {
    Map<WarningSetting, String> m = new EnumMap<>(WarningSetting.class);
    m.put(WarningSetting.CLUSTER_POSITIVES, String.valueOf(clusterPositives));
    m.put(WarningSetting.CLUSTER_WINDOW_HOURS, hours(clusterWindow));
    m.put(WarningSetting.SURGE_RATIO, String.valueOf(surgeRatio));
    m.put(WarningSetting.SURGE_MIN_VISITS, String.valueOf(surgeMinVisits));
    m.put(WarningSetting.SURGE_BASELINE_DAYS, String.valueOf(surgeBaselineDays));
    m.put(WarningSetting.DECLARED_FEVERS, String.valueOf(declaredFevers));
    m.put(WarningSetting.DECLARED_FEVER_WINDOW_HOURS, hours(declaredFeverWindow));
    return m;
  }

  /** These thresholds with one setting at a value already checked by {@link WarningSetting#canonical}. */
  Thresholds with(WarningSetting s, String canonical) {
    return switch (s) {
      case CLUSTER_POSITIVES -> new Thresholds(Integer.parseInt(canonical), clusterWindow, surgeRatio, surgeMinVisits, surgeBaselineDays,
          declaredFevers, declaredFeverWindow);
      case CLUSTER_WINDOW_HOURS -> new Thresholds(clusterPositives, Duration.ofHours(Integer.parseInt(canonical)), surgeRatio,
          surgeMinVisits, surgeBaselineDays, declaredFevers, declaredFeverWindow);
      case SURGE_RATIO -> new Thresholds(clusterPositives, clusterWindow, Double.parseDouble(canonical), surgeMinVisits,
          surgeBaselineDays, declaredFevers, declaredFeverWindow);
      case SURGE_MIN_VISITS -> new Thresholds(clusterPositives, clusterWindow, surgeRatio, Integer.parseInt(canonical),
          surgeBaselineDays, declaredFevers, declaredFeverWindow);
      case SURGE_BASELINE_DAYS -> new Thresholds(clusterPositives, clusterWindow, surgeRatio, surgeMinVisits,
          Integer.parseInt(canonical), declaredFevers, declaredFeverWindow);
      case DECLARED_FEVERS -> new Thresholds(clusterPositives, clusterWindow, surgeRatio, surgeMinVisits, surgeBaselineDays,
          Integer.parseInt(canonical), declaredFeverWindow);
      case DECLARED_FEVER_WINDOW_HOURS -> new Thresholds(clusterPositives, clusterWindow, surgeRatio, surgeMinVisits,
          surgeBaselineDays, declaredFevers, Duration.ofHours(Integer.parseInt(canonical)));
    };
  }

  /** A window in hours; a configured window of part hours ({@code 90m}) reads as a decimal ({@code 1.5}). */
  private static String hours(Duration d) {
    return d.toMinutes() % 60 == 0 ? String.valueOf(d.toHours())
        : java.math.BigDecimal.valueOf(d.toMinutes()).divide(java.math.BigDecimal.valueOf(60), 2, java.math.RoundingMode.HALF_UP)
            .stripTrailingZeros().toPlainString();
  }
}
