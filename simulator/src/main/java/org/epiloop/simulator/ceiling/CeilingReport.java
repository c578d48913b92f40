package org.epiloop.simulator.ceiling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The arithmetic and the table of the {@code ceiling} command, apart from any HTTP so it can be
 * tested: per scenario the median over rounds of the rate, p50 and p99, and of the per-round ratio
 * to the bare application's {@code /ping} (the static file also to the bare static file), checked
 * against the targets.
 *
 * <p>Ratios are taken within a round and then the median is taken: on a shared machine a noisy
 * minute slows both sides of one round alike, so the ratio of a round is steadier than the ratio of
 * two medians measured minutes apart.
 */
public final class CeilingReport {

  /** What one measured window gave. CPU is null when the process was not watched. */
  public record Window(long ok, long errors, double seconds, double p50Ms, double p99Ms, Long jvmCpuNanos, Long dbCpuNanos) {
    public double rate() {
      return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Server CPU per successful request, microseconds; NaN when not watched or nothing succeeded. */
    double jvmMicrosPerRequest() {
      return jvmCpuNanos == null || ok == 0 ? Double.NaN : jvmCpuNanos / 1000.0 / ok;
    }

    double dbMicrosPerRequest() {
      return dbCpuNanos == null || ok == 0 ? Double.NaN : dbCpuNanos / 1000.0 / ok;
    }
  }

  /** A row of the table: a scenario, what it is compared with, and the target ratio (NaN: none). */
  public record Scenario(String key, String label, String baseline, double targetRatio, double targetP99Ms) {}

  /** The medians of one scenario over the rounds. */
  public record Row(Scenario scenario, int rounds, double rate, double p50Ms, double p99Ms, double ratio, double ratioToBaseline,
      double jvmMicros, double dbMicros, long errors) {

    /** True, false, or null when the scenario has no target. */
    Boolean met() {
      if (Double.isNaN(scenario.targetRatio()) && Double.isNaN(scenario.targetP99Ms())) {
        return null;
      }
      boolean ok = Double.isNaN(scenario.targetRatio()) || ratio >= scenario.targetRatio();
      return ok && (Double.isNaN(scenario.targetP99Ms()) || p99Ms <= scenario.targetP99Ms());
    }
  }

  public static final String BARE_PING = "bare-ping";

  private CeilingReport() {}

  /** The median; the mean of the middle two for an even count; NaN for none. NaNs are left out. */
  public static double median(double... values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /**
   * The medians per scenario, in the order given. {@code rounds} holds one map per round, scenario
   * key to its window; a scenario missing from a round is left out of that round.
   */
  public static List<Row> rows(List<Scenario> scenarios, List<Map<String, Window>> rounds) {
    List<Row> rows = new ArrayList<>();
    for (Scenario s : scenarios) {
      List<Double> rate = new ArrayList<>();
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      List<Double> toBase = new ArrayList<>();
      List<Double> jvm = new ArrayList<>();
      List<Double> db = new ArrayList<>();
      long errors = 0;
      int n = 0;
      for (Map<String, Window> round : rounds) {
        Window w = round.get(s.key());
        if (w == null || w.seconds() <= 0) { // not run, or its data ran out before the measured part
          continue;
        }
        n++;
        errors += w.errors();
        rate.add(w.rate());
        p50.add(w.p50Ms());
        p99.add(w.p99Ms());
        jvm.add(w.jvmMicrosPerRequest());
        db.add(w.dbMicrosPerRequest());
        ratio.add(ratio(w, round.get(BARE_PING)));
        toBase.add(s.baseline() == null ? Double.NaN : ratio(w, round.get(s.baseline())));
      }
      rows.add(new Row(s, n, median(rate), median(p50), median(p99), median(ratio), median(toBase), median(jvm), median(db), errors));
    }
    return rows;
  }

  private static double ratio(Window w, Window base) {
    return base == null || base.rate() == 0 ? Double.NaN : w.rate() / base.rate();
  }

  private static double[] arr(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double median(List<Double> l) {
    return median(arr(l));
  }

  /** The Markdown table: one line per scenario. */
  public static String table(List<Row> rows, Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | rounds | rate /s | p50 ms | p99 ms | × bare /ping | × its bare twin | target | server JVM µs/req | DB µs/req | errors |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      Scenario s = r.scenario();
      b.append("| ").append(s.label())
          .append(" | ").append(r.rounds())
          .append(" | ").append(fmt("%,.0f", r.rate()))
          .append(" | ").append(fmt("%.1f", r.p50Ms()))
          .append(" | ").append(fmt("%.1f", r.p99Ms()))
          .append(" | ").append(fmt("%.2f", r.ratio()))
          .append(" | ").append(s.baseline() == null ? "" : fmt("%.2f", r.ratioToBaseline()) + " (" + labels.getOrDefault(s.baseline(), s.baseline()) + ")")
          .append(" | ").append(target(r))
          .append(" | ").append(fmt("%.0f", r.jvmMicros()))
          .append(" | ").append(fmt("%.0f", r.dbMicros()))
          .append(" | ").append(r.errors())
          .append(" |\n");
    }
    return b.toString();
  }

  private static String target(Row r) {
    Boolean met = r.met();
    if (met == null) {
      return "";
    }
    Scenario s = r.scenario();
    List<String> parts = new ArrayList<>();
    if (!Double.isNaN(s.targetRatio())) {
      parts.add("≥ " + fmt("%.2f", s.targetRatio()) + "×");
    }
    if (!Double.isNaN(s.targetP99Ms())) {
      parts.add("p99 ≤ " + fmt("%.0f", s.targetP99Ms()) + " ms");
    }
    return String.join(", ", parts) + (met ? " met" : " **missed**");
  }

  static String fmt(String format, double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
  }

  /** Labels by key, for the baseline column. */
  public static Map<String, String> labels(List<Scenario> scenarios) {
    Map<String, String> m = new LinkedHashMap<>();
    scenarios.forEach(s -> m.put(s.key(), Objects.requireNonNull(s.label())));
    return m;
  }
}
