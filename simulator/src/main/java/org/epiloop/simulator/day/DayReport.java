package org.epiloop.simulator.day;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The day's report as Markdown: invariants, scale, stage throughput, latency per endpoint,
 * turnaround, faults, errors by code and the server's memory. {@link HtmlReport} renders the
 * same tables with charts.
 */
final class DayReport {

  private DayReport() {}

  /** A row of the stage table. */
  record StageRow(String name, String item, long count, double firstSeconds, double lastSeconds, double perSecond) {}

  static List<StageRow> stageRows(CityDay.Result r) {
    List<StageRow> rows = new ArrayList<>();
    long t0 = r.metrics.startNanos();
    for (Metrics.Stage s : r.metrics.stages()) {
      long n = s.count.sum();
      if (n == 0) {
        rows.add(new StageRow(s.name, s.item, 0, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      double first = (s.firstNanos.get() - t0) / 1e9;
      double last = (s.lastNanos.get() - t0) / 1e9;
      double span = last - first;
      rows.add(new StageRow(s.name, s.item, n, first, last, span > 0.001 ? n / span : Double.NaN));
    }
    return rows;
  }

  static String markdown(CityDay.Result r) {
    DayOptions o = r.options;
    StringBuilder b = new StringBuilder();
    line(b, "# Epiloop city day — %s", r.passed() ? "all invariants PASS" : "FAIL");
    line(b, "");
    line(b, "- Server: %s; city `%s` (district `cd-%s`)", String.join(", ", o.urls()), r.prefix, r.prefix);
    line(b, "- Command: `%s`", o.commandLine == null || o.commandLine.isBlank() ? "(API)" : o.commandLine);
    line(b, "- Started %s, finished %s; setup %s, pre-registration %s, day %s, settling %s", ts(r.started), ts(r.finished),
        dur(r.setup), dur(r.preRegistration), dur(r.day), dur(r.settle));
    line(b, "- Scale: %d persons (%d infected, prevalence %s), pool %d, single share %s, %d accounts holding %d persons; %d sites x %d "
            + "terminals, %d couriers, %d labs x %d receipt benches; seed %d%s",
        o.persons, r.cityDay.city.persons.stream().filter(p -> p.infected).count(), num(o.prevalence), o.pool, num(o.singleShare),
        r.cityDay.city.accounts.size(), r.cityDay.city.accounts.stream().mapToInt(a -> a.persons.size()).sum(), o.sites,
        o.collectorsPerSite, o.couriers, o.labs, o.labTechs, o.seed, r.venues ? "; venues on" : (o.venues ? "; venues requested but the server has none" : ""));
    line(b, "- Fault rates: retry %s, duplicate %s, offline %s, CSV twice %s, missing %s, unexpected %s, reject %s", num(o.retryRate),
        num(o.duplicateRate), num(o.offlineRate), num(o.csvTwiceRate), num(o.missingRate), num(o.unexpectedRate), num(o.rejectRate));
    line(b, "- Client: %d CPUs, Java %s", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    if (!r.completed) {
      line(b, "- **The day did not complete**: %s", r.abortReason);
    }
    line(b, "");
    line(b, "## Invariants");
    line(b, "");
    line(b, "| check | result | detail |");
    line(b, "|---|---|---|");
    line(b, "| the day completed (every tube reached an outcome, nobody waits for a retest) | %s | %s |", r.completed ? "PASS" : "FAIL",
        r.completed ? "drained in " + dur(r.day) : esc(String.valueOf(r.abortReason)));
    for (Invariants.Check c : r.checks) {
      line(b, "| %s | %s | %s |", esc(c.name()), c.passed() ? "PASS" : "FAIL", esc(c.detail()));
    }
    line(b, "");
    line(b, "## Totals");
    line(b, "");
    CityDay d = r.cityDay;
    long pooled = d.tubes.stream().filter(t -> t.sealed && t.pooled()).count();
    long single = d.tubes.stream().filter(t -> t.sealed && !t.pooled() && !t.retest).count();
    long retest = d.tubes.stream().filter(t -> t.sealed && t.retest).count();
    long bindings = d.city.persons.stream().mapToLong(Person::bindings).sum();
    line(b, "| tubes sealed (pooled / single / retest) | boxes | runs | bindings | positive pools | positive single tubes | persons recalled |");
    line(b, "|---:|---:|---:|---:|---:|---:|---:|");
    line(b, "| %d / %d / %d | %d | %d | %d | %d | %d | %d |", pooled, single, retest, d.boxes.size(), d.runs.size(), bindings,
        d.positivePools.size(), d.positiveSingles.size(), d.city.persons.stream().mapToLong(p -> p.recalls).sum());
    line(b, "");
    line(b, "## Stage throughput");
    line(b, "");
    line(b, "Seconds from the start of the setup; the day began at %.1f s. Items/s is over each stage's own span (first to last item).",
        r.metrics.dayStartSeconds());
    line(b, "");
    line(b, "| stage | items | first (s) | last (s) | items/s |");
    line(b, "|---|---:|---:|---:|---:|");
    for (StageRow s : stageRows(r)) {
      line(b, "| %s (%s) | %d | %s | %s | %s |", s.name(), s.item(), s.count(), f1(s.firstSeconds()), f1(s.lastSeconds()), f1(s.perSecond()));
    }
    line(b, "");
    line(b, "## Latency per endpoint (ms)");
    line(b, "");
    line(b, "| endpoint | count | p50 | p90 | p99 | max |");
    line(b, "|---|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Histogram> e : r.metrics.latencies().entrySet()) {
      Histogram h = e.getValue();
      line(b, "| `%s` | %d | %.1f | %.1f | %.1f | %.1f |", e.getKey(), h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
    line(b, "");
    line(b, "## Turnaround (seconds)");
    line(b, "");
    line(b, "| interval | count | p50 | p90 | p99 | max |");
    line(b, "|---|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Histogram> e : r.metrics.turnarounds().entrySet()) {
      Histogram h = e.getValue();
      line(b, "| %s | %d | %.1f | %.1f | %.1f | %.1f |", e.getKey(), h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
    line(b, "");
    line(b, "## Faults injected and other counters");
    line(b, "");
    line(b, "| counter | count |");
    line(b, "|---|---:|");
    r.metrics.counters().forEach((k, v) -> line(b, "| %s | %d |", esc(k), v));
    line(b, "");
    line(b, "## Errors by code");
    line(b, "");
    errors(b, r.metrics.errors());
    line(b, "");
    line(b, "Refusals the simulator provoked on purpose (duplicate scans, stale retries):");
    line(b, "");
    errors(b, r.metrics.refusals());
    line(b, "");
    line(b, "## Server");
    line(b, "");
    if (r.peakRssKb > 0) {
      line(b, "Peak RSS of the server JVM (pid %d%s, sampled every second): %.1f MiB; VmHWM at the end %s.", r.serverPid,
          o.serverPid == null ? ", found listening on the URL's port" : "", r.peakRssKb / 1024.0,
          r.hwmKb > 0 ? String.format(Locale.ROOT, "%.1f MiB", r.hwmKb / 1024.0) : "n/a");
    } else {
      line(b, "Peak RSS: n/a (the server is not a process this client can read; pass --server-pid of a server on this machine).");
    }
    return b.toString();
  }

  private static void errors(StringBuilder b, List<Metrics.Line> lines) {
    if (lines.isEmpty()) {
      line(b, "None.");
      return;
    }
    line(b, "| endpoint | status code | count | example |");
    line(b, "|---|---|---:|---|");
    for (Metrics.Line l : lines) {
      line(b, "| `%s` | %s | %d | %s |", l.endpoint(), l.key(), l.count(), l.example() == null ? "" : esc(l.example()));
    }
  }

  static String esc(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  static String f1(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  static String dur(Duration d) {
    return d == null ? "n/a" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  static String ts(Instant i) {
    return i == null ? "n/a" : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS));
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
  }
}
