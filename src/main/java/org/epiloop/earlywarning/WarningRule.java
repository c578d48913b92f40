package org.epiloop.earlywarning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The early-warning rules, by name. Each reads the same {@link Snapshot} and names every place
 * (a district, or a grid in it) where it fires now, with a reason an official can read; which
 * rules run, and in which order, is {@code epiloop.early-warning.rules}; the thresholds it reads
 * are those in force at the evaluation ({@link WarningSettings}, changed by officials at run time).
 */
enum WarningRule {

  /** N positives in one grid or one district within T hours. */
  POSITIVE_CLUSTER {
    @Override
    List<Finding> evaluate(Snapshot s, Thresholds p) {
      List<Finding> out = new ArrayList<>();
      Instant from = s.now().minus(p.clusterWindow());
      List<Snapshot.Positive> recent = s.positives().stream().filter(x -> !x.reportedAt().isBefore(from)).toList();
      String why = " positives reported within " + hours(p.clusterWindow()) + " h (threshold " + p.clusterPositives() + ")";
      counts(recent, x -> x.districtCode() == null ? null : x.districtCode() + "|" + x.districtCode()).forEach((k, n) -> {
        if (n >= p.clusterPositives()) {
          String[] d = k.split("\\|");
          out.add(new Finding(d[0], d[0], n, "阳性聚集 Cluster of positives in district " + d[0] + ": " + n + why));
        }
      });
      counts(recent, x -> x.gridCode() == null ? null : x.districtCode() + "|" + x.gridCode()).forEach((k, n) -> {
        if (n >= p.clusterPositives()) {
          String[] g = k.split("\\|");
          out.add(new Finding(g[0], g[1], n, "阳性聚集 Cluster of positives in grid " + g[1] + ": " + n + why));
        }
      });
      return out;
    }
  },

  /** Fever-clinic visits in a district in the last hour against its own mean for that hour over the trailing days. */
  FEVER_VISIT_SURGE {
    @Override
    List<Finding> evaluate(Snapshot s, Thresholds p) {
      List<Finding> out = new ArrayList<>();
      Instant now = s.now();
      Map<String, Integer> current = counts(s.visits().stream().filter(v -> within(v.visitedAt(), now.minus(Duration.ofHours(1)), now)).toList(),
          Snapshot.Visit::districtCode);
      for (var e : current.entrySet()) {
        int total = 0;
        for (int d = 1; d <= p.surgeBaselineDays(); d++) {
          Instant end = now.minus(Duration.ofDays(d));
          Instant start = end.minus(Duration.ofHours(1));
          String district = e.getKey();
          total += (int) s.visits().stream().filter(v -> district.equals(v.districtCode()) && within(v.visitedAt(), start, end)).count();
        }
        double mean = total / (double) p.surgeBaselineDays();
        int n = e.getValue();
        if (n >= p.surgeMinVisits() && n >= p.surgeRatio() * mean) {
          out.add(new Finding(e.getKey(), e.getKey(), n, String.format(Locale.ROOT,
              "发热门诊就诊激增 Surge of fever-clinic visits in district %s: %d in the last hour against a %d-day same-hour mean of %.1f "
                  + "(ratio %s, threshold ×%.1f and at least %d)",
              e.getKey(), n, p.surgeBaselineDays(), mean, mean == 0 ? "∞" : String.format(Locale.ROOT, "%.1f", n / mean), p.surgeRatio(),
              p.surgeMinVisits())));
        }
      }
      return out;
    }
  },

  /** Several declared fevers in one grid within T hours. */
  DECLARED_FEVER_CLUSTER {
    @Override
    List<Finding> evaluate(Snapshot s, Thresholds p) {
      List<Finding> out = new ArrayList<>();
      Instant from = s.now().minus(p.declaredFeverWindow());
      counts(s.fevers().stream().filter(f -> !f.declaredAt().isBefore(from)).toList(), f -> f.districtCode() + "|" + f.gridCode())
          .forEach((k, n) -> {
            if (n >= p.declaredFevers()) {
              String[] g = k.split("\\|");
              out.add(new Finding(g[0], g[1], n, "申报发热聚集 Several declared fevers in grid " + g[1] + ": " + n + " within "
                  + hours(p.declaredFeverWindow()) + " h (threshold " + p.declaredFevers() + ")"));
            }
          });
      return out;
    }
  };

  /** Where a rule fires now: the district, the place (the district itself or a grid in it), the observed figure, and why. */
  record Finding(String districtCode, String scopeCode, double observed, String reason) {}

  abstract List<Finding> evaluate(Snapshot snapshot, Thresholds thresholds);

  private static <T> Map<String, Integer> counts(List<T> items, Function<T, String> key) {
    Map<String, Integer> out = new TreeMap<>();
    for (T t : items) {
      String k = key.apply(t);
      if (k != null) {
        out.merge(k, 1, Integer::sum);
      }
    }
    return out;
  }

  private static boolean within(Instant t, Instant from, Instant to) {
    return !t.isBefore(from) && t.isBefore(to);
  }

  private static long hours(Duration d) {
    return d.toHours();
  }
}
