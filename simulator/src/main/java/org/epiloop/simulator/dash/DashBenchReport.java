package org.epiloop.simulator.dash;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.bench.ServerMonitor;
import org.epiloop.simulator.lab.Errors;
import org.epiloop.simulator.lab.Latency;
import org.epiloop.simulator.lab.Md;

/** The dash-bench result as Markdown. */
final class DashBenchReport {

  private DashBenchReport() {}

  static String markdown(DashBench.Result r) {
    DashBench.Config c = r.config;
    Md md = new Md();
    md.line("# Epiloop dash-bench report");
    md.line("");
    md.line("- Server: %s; %s", c.url(), r.userNote);
    md.line("- Load: %d closed-loop clients, each GETting the %d endpoints below round-robin (client *k* starts at endpoint *k*), "
        + "%s between requests; district views for `%s`", c.clients(), r.endpoints.size(),
        c.pauseMillis() == 0 ? "no pause" : c.pauseMillis() + " ms pause", r.district);
    md.line("- Warm-up %d s, then measured %d s: %s – %s (%.1f s)", c.warmupSeconds(), c.durationSeconds(), Md.ts(r.measuredFrom),
        Md.ts(r.measuredTo), r.measuredSeconds);
    md.line("- Client: %s", Md.clientLine());
    md.line("- Command line: `%s`", c.commandLine());
    md.line("");
    md.line("## Latency per endpoint (ms)");
    md.line("");
    md.line("Requests started and completed in the measured window; latency from sending the request to having read the whole "
        + "body, of successful (2xx, JSON) answers only. Target: p99 ≤ %s ms.", fmt(c.targetMillis()));
    md.line("");
    md.line("| endpoint | requests | ok | rate ok/s | errors | mean | p50 | p90 | p99 | max | p99 ≤ %s ms |", fmt(c.targetMillis()));
    md.line("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|:---:|");
    Histogram all = new Histogram(Latency.HIGHEST_MICROS, 3);
    long requests = 0;
    long errors = 0;
    Map<String, Map<String, Long>> byEndpoint = errorsByEndpoint(r.errors);
    for (DashBench.EndpointStats e : r.endpoints) {
      Histogram h = e.ok.histogram();
      all.add(h);
      long n = e.measured.sum();
      requests += n;
      errors += n - h.getTotalCount();
      md.line(row("`" + e.endpoint.name() + "` `GET " + e.endpoint.path() + "`", n, h, r.measuredSeconds,
          summary(byEndpoint.get(e.endpoint.name())), c.targetMillis()));
    }
    md.line(row("**all endpoints**", requests, all, r.measuredSeconds, errors == 0 ? "none" : errors + " (see below)", c.targetMillis()));
    md.line("");
    md.line("## Errors (measured window)");
    md.line("");
    md.errors(r.errors.lines());
    if (r.warmupErrors.total() > 0) {
      md.line("");
      md.line("In the warm-up: %s.", summaryAll(r.warmupErrors));
    }
    md.line("");
    md.line("## Resources (measured window)");
    md.line("");
    resources(md, r);
    return md.toString();
  }

  /** One table row. */
  static String row(String name, long requests, Histogram ok, double seconds, String errors, double targetMillis) {
    long n = ok.getTotalCount();
    if (n == 0) {
      return String.format(Locale.ROOT, "| %s | %d | 0 | 0 | %s | – | – | – | – | – | n/a |", name, requests, errors);
    }
    double p99 = Md.ms(ok, 99);
    return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %s | %.2f | %.2f | %.2f | %s | %.2f | %s |", name, requests, n,
        seconds > 0 ? n / seconds : 0, errors, ok.getMean() / 1000, Md.ms(ok, 50), Md.ms(ok, 90),
        p99 <= targetMillis ? String.format(Locale.ROOT, "%.2f", p99) : String.format(Locale.ROOT, "**%.2f**", p99),
        ok.getMaxValue() / 1000.0, p99 <= targetMillis ? "yes" : "**NO**");
  }

  /** Error counts per endpoint, by status key ("404 -", "IO HttpTimeoutException"). */
  static Map<String, Map<String, Long>> errorsByEndpoint(Errors errors) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (Errors.Line l : errors.lines()) {
      out.computeIfAbsent(l.request(), k -> new TreeMap<>()).merge(l.key(), l.count(), Long::sum);
    }
    return out;
  }

  /** "none", or "404 -: 12, 500 -: 1". */
  static String summary(Map<String, Long> byKey) {
    if (byKey == null || byKey.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    byKey.forEach((k, v) -> parts.add(Md.escape(k) + ": " + v));
    return String.join(", ", parts);
  }

  private static String summaryAll(Errors errors) {
    List<String> parts = new ArrayList<>();
    errorsByEndpoint(errors).forEach((ep, byKey) -> parts.add(ep + " " + summary(byKey)));
    return String.join("; ", parts);
  }

  private static void resources(Md md, DashBench.Result r) {
    ServerMonitor.CpuSnapshot from = r.cpuFrom;
    ServerMonitor.CpuSnapshot to = r.cpuTo;
    if (from == null || to == null || to.wallNanos() <= from.wallNanos()) {
      md.line("Not sampled.");
      return;
    }
    double wall = (to.wallNanos() - from.wallNanos()) / 1e9;
    int cpus = Runtime.getRuntime().availableProcessors();
    double busy = to.machineTotal() == from.machineTotal() ? 0
        : (double) (to.machineBusy() - from.machineBusy()) / (to.machineTotal() - from.machineTotal());
    if (r.config.serverPid() != null) {
      double jvm = (to.serverJvm() - from.serverJvm()) / 1e9 / wall;
      double db = to.databaseSince(from) / 1e9 / wall;
      md.line("- Server pid %d: peak VmRSS %s; CPU, average cores busy: JVM %.2f, its database (%s) %.2f — with whatever else "
          + "loads the server (bind-bench) at the same time", r.config.serverPid(), Md.mib(r.peakRssMeasuredKb), jvm,
          ServerMonitor.describeProcesses(r.databaseProcesses), db);
    } else {
      md.line("- No --server-pid given: server memory and CPU not sampled.");
    }
    md.line("- This client: %.2f cores; whole machine: %.2f of %d cores (%.0f%% busy)", (to.client() - from.client()) / 1e9 / wall,
        busy * cpus, cpus, busy * 100);
    md.line("- Load average before / after: %s / %s", load(r.loadBefore), load(r.loadAfter));
  }

  private static String load(double[] l) {
    return l == null ? "n/a" : String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
