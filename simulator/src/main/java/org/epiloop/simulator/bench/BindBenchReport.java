package org.epiloop.simulator.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The bind-bench result as Markdown (printed to the console and optionally written to a file). */
final class BindBenchReport {

  private BindBenchReport() {}

  static String markdown(BindBench.Result r) {
    BindBench.Config c = r.config;
    StringBuilder b = new StringBuilder();
    line(b, "# Epiloop bind-bench report");
    line(b, "");
    line(b, "- Server: %s", c.url());
    line(b, "- Run prefix: `%s` (district `%s`, %d sites, %d collectors)", r.runPrefix, r.districtCode, c.sites(),
        r.collectors.size());
    line(b, "- Started: %s; measured phase %s – %s", ts(r.startedAt), ts(r.measuredFrom), ts(r.measuredTo));
    line(b, "- Load: %d closed-loop terminals, tube capacity %d, warm-up %d s, measured %d s", c.clients(), c.capacity(),
        c.warmupSeconds(), c.durationSeconds());
    line(b, "- Client: %d CPUs (Runtime.availableProcessors), Java %s (%s), %s %s", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
        System.getProperty("os.arch"));
    line(b, "- Command line: `%s`", c.commandLine());
    line(b, "");

    line(b, "## Throughput (measured phase, %.1f s)", r.measuredSeconds);
    line(b, "");
    line(b, "| | count | per second |");
    line(b, "|---|---:|---:|");
    line(b, "| **bindings (201)** | %d | **%.1f** |", r.bindsMeasured, r.bindsMeasured / r.measuredSeconds);
    line(b, "| tubes opened (201) | %d | %.1f |", r.opensMeasured, r.opensMeasured / r.measuredSeconds);
    line(b, "| tubes sealed by their last binding | %d | %.1f |", r.sealedMeasured, r.sealedMeasured / r.measuredSeconds);
    line(b, "");
    line(b, "Whole run: %d bindings (%d in warm-up), %d tubes opened, %d ID numbers used.", r.bindsTotal, r.bindsWarmup,
        r.opensTotal, r.idsIssued);
    line(b, "");

    line(b, "## Latency of successful requests (ms, measured phase)");
    line(b, "");
    line(b, "| request | count | mean | p50 | p90 | p99 | p99.9 | max |");
    line(b, "|---|---:|---:|---:|---:|---:|---:|---:|");
    latency(b, "bind `POST /api/v1/tubes/{code}/bindings`", r.bind);
    latency(b, "open `POST /api/v1/tubes`", r.open);
    line(b, "");

    line(b, "## Errors (by HTTP status and problem `code`)");
    line(b, "");
    if (r.errors.isEmpty()) {
      line(b, "None.");
    } else {
      line(b, "| request | status code | warm-up | measured | after | example detail |");
      line(b, "|---|---|---:|---:|---:|---|");
      for (Map.Entry<String, BindBench.ErrorCount> e : r.errors.entrySet()) {
        String[] parts = e.getKey().split(" ", 2);
        long[] n = e.getValue().byPhase;
        line(b, "| %s | %s | %d | %d | %d | %s |", parts[0], parts.length > 1 ? parts[1] : "", n[0], n[1], n[2],
            e.getValue().example == null ? "" : e.getValue().example.replace("|", "\\|"));
      }
    }
    line(b, "");

    ServerMonitor.CpuSnapshot from = r.cpuFrom;
    ServerMonitor.CpuSnapshot to = r.cpuTo;
    line(b, "## Resources");
    line(b, "");
    if (c.serverPid() != null) {
      line(b, "Server pid %d:", c.serverPid());
      line(b, "");
      line(b, "- Peak VmRSS (sampled every second, %d samples): **%s** over the whole run, %s in the measured phase",
          r.rssSamples, mib(r.serverPeakRssKb), mib(r.serverPeakRssMeasuredKb));
      line(b, "- VmHWM at the end: **%s**; VmRSS at the end: %s", mib(r.serverHwmKb), mib(r.serverRssEndKb));
    } else {
      line(b, "No --server-pid given: server memory and CPU not sampled.");
    }
    if (from != null && to != null) {
      double wall = (to.wallNanos() - from.wallNanos()) / 1e9;
      int cpus = Runtime.getRuntime().availableProcessors();
      double machineBusyShare = to.machineTotal() == from.machineTotal() ? 0
          : (double) (to.machineBusy() - from.machineBusy()) / (to.machineTotal() - from.machineTotal());
      line(b, "- CPU in the measured phase, average cores busy (from /proc):");
      if (c.serverPid() != null) {
        double jvm = (to.serverJvm() - from.serverJvm()) / 1e9 / wall;
        double kids = to.databaseSince(from) / 1e9 / wall;
        line(b, "  - server JVM: %.2f", jvm);
        line(b, "  - its database (%s): %.2f", ServerMonitor.describeProcesses(r.databaseProcesses), kids);
        if (jvm + kids > 0) {
          line(b, "  - split JVM / PostgreSQL: %.0f%% / %.0f%%", 100 * jvm / (jvm + kids), 100 * kids / (jvm + kids));
        }
      }
      line(b, "  - this client: %.2f", (to.client() - from.client()) / 1e9 / wall);
      line(b, "  - whole machine: %.2f of %d (%.0f%% busy)", machineBusyShare * cpus, cpus, machineBusyShare * 100);
    }
    return b.toString();
  }


  private static void latency(StringBuilder b, String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      line(b, "| %s | 0 | – | – | – | – | – | – |", name);
      return;
    }
    line(b, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", name, h.getTotalCount(), h.getMean() / 1000,
        ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String mib(long kb) {
    return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kb / 1024.0);
  }

  private static String ts(Instant i) {
    return i == null ? "n/a"
        : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.MILLIS));
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
