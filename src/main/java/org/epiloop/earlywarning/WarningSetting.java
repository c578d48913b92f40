package org.epiloop.earlywarning;

import java.util.Locale;
import org.epiloop.shared.ApiException;

/**
 * The thresholds of the early-warning rules, each named, belonging to one rule, with the range an
 * official may set it to at run time (docs/adr/0035). The ranges are the ones the configuration
 * was already held to at start, with upper bounds so that a typo (a window of 24000 hours) is
 * refused instead of silencing a rule.
 */
enum WarningSetting {

  CLUSTER_POSITIVES("clusterPositives", WarningRule.POSITIVE_CLUSTER, Kind.COUNT, 2, 1000, "阳性数达到", "positives at least"),
  CLUSTER_WINDOW_HOURS("clusterWindowHours", WarningRule.POSITIVE_CLUSTER, Kind.HOURS, 1, 168, "时间窗（小时）", "within hours"),
  SURGE_RATIO("surgeRatio", WarningRule.FEVER_VISIT_SURGE, Kind.RATIO, 1, 100, "为同时段均值的倍数", "times the same-hour mean"),
  SURGE_MIN_VISITS("surgeMinVisits", WarningRule.FEVER_VISIT_SURGE, Kind.COUNT, 1, 10000, "且一小时就诊至少", "and visits in the hour at least"),
  SURGE_BASELINE_DAYS("surgeBaselineDays", WarningRule.FEVER_VISIT_SURGE, Kind.DAYS, 1, 28, "基线天数", "baseline days"),
  DECLARED_FEVERS("declaredFevers", WarningRule.DECLARED_FEVER_CLUSTER, Kind.COUNT, 2, 1000, "同一网格申报发热达到",
      "declared fevers in one grid at least"),
  DECLARED_FEVER_WINDOW_HOURS("declaredFeverWindowHours", WarningRule.DECLARED_FEVER_CLUSTER, Kind.HOURS, 1, 168, "时间窗（小时）",
      "within hours");

  /** What a value is: a whole count, hours, days, or a ratio above 1 (at most two decimals). */
  enum Kind {
    COUNT, HOURS, DAYS, RATIO
  }

  private final String key;
  private final WarningRule rule;
  private final Kind kind;
  private final int min;
  private final int max;
  private final String zh;
  private final String en;

  WarningSetting(String key, WarningRule rule, Kind kind, int min, int max, String zh, String en) {
    this.key = key;
    this.rule = rule;
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.zh = zh;
    this.en = en;
  }

  /** The name in the API and the database ({@code clusterPositives}). */
  String key() {
    return key;
  }

  WarningRule rule() {
    return rule;
  }

  Kind kind() {
    return kind;
  }

  int min() {
    return min;
  }

  int max() {
    return max;
  }

  String zh() {
    return zh;
  }

  String en() {
    return en;
  }

  /** The setting of this name, or 400 UNKNOWN_SETTING naming it. */
  static WarningSetting named(String name) {
    for (WarningSetting s : values()) {
      if (s.key.equals(name)) {
        return s;
      }
    }
    throw ApiException.badRequest("UNKNOWN_SETTING", name == null || name.isBlank() ? "name" : name,
        "No early-warning setting " + name + "; known: " + java.util.Arrays.stream(values()).map(WarningSetting::key).toList());
  }

  /**
   * A value in its canonical text ({@code "3"}, {@code "2.5"}), or 400 INVALID_SETTING naming the
   * setting with its range in words.
   */
  String canonical(String value) {
    String v = value == null ? "" : value.strip();
    String range = kind == Kind.RATIO
        ? String.format(Locale.ROOT, "%s must be a number above %d and at most %d, with at most two decimals", key, min, max)
        : String.format(Locale.ROOT, "%s must be a whole number %d–%d", key, min, max);
    try {
      if (kind == Kind.RATIO) {
        java.math.BigDecimal d = new java.math.BigDecimal(v);
        if (d.scale() > 2 || d.compareTo(java.math.BigDecimal.valueOf(min)) <= 0 || d.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
          throw ApiException.badRequest("INVALID_SETTING", key, range);
        }
        return String.valueOf(d.doubleValue());
      }
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw ApiException.badRequest("INVALID_SETTING", key, range);
      }
      return String.valueOf(n);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("INVALID_SETTING", key, range);
    }
  }
}
