package org.epiloop.simulator.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.epiloop.simulator.bench.ProcStats;
import org.epiloop.simulator.bench.ServerMonitor;

/**
 * Server memory and CPU around a benchmark's measured phases (through the bind-bench's
 * {@link ServerMonitor}: peak VmRSS sampled every second, VmHWM, CPU of the server JVM, of its
 * database processes, of this client and of the machine) plus the machine's load average.
 * Without a server pid only the client, machine and load average are reported.
 */
final class Resources implements AutoCloseable {

  /** CPU times and load average at one instant. */
  record Snapshot(Instant at, ServerMonitor.CpuSnapshot cpu, String loadAverage) {}

  /** One named window between two snapshots. */
  record Window(String name, Snapshot from, Snapshot to) {}

  /** Shorter windows are listed without CPU figures. */
  static final double MIN_WINDOW_SECONDS = 2.0;

  private final Long pid;
  private ServerMonitor monitor;
  private Map<Long, String> database = Map.of();
  private long peakRssKb = -1;
  private long peakRssMeasuredKb = -1;
  private long hwmKb = -1;
  private long rssEndKb = -1;
  private int samples;

  Resources(Long pid) {
    this.pid = pid;
  }

  /** Finds the database processes and starts sampling the server's memory. */
  void start() {
    if (pid != null) {
      database = new TreeMap<>(ProcStats.databaseProcesses(pid));
      monitor = new ServerMonitor(pid);
      monitor.start();
    }
  }

  /** Looks for database processes again (connection pools grow); new ones are added. */
  void refreshDatabase() {
    if (pid != null) {
      Map<Long, String> more = new TreeMap<>(database);
      more.putAll(ProcStats.databaseProcesses(pid));
      database = more;
    }
  }

  /** Marks the measured phase for the peak-RSS-while-measuring figure. */
  void measuring(boolean on) {
    if (monitor != null) {
      monitor.measuring(on);
    }
  }

  Snapshot snapshot() {
    return new Snapshot(Instant.now(), ServerMonitor.CpuSnapshot.take(pid == null ? 0 : pid, database.keySet()),
        loadAverage());
  }

  /** "1.23 0.98 0.75" from /proc/loadavg (1, 5, 15 minutes), or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  @Override
  public void close() {
    if (monitor != null) {
      monitor.close();
      peakRssKb = monitor.peakRssKb();
      peakRssMeasuredKb = monitor.peakRssMeasuredKb();
      hwmKb = monitor.hwmKb().orElse(-1);
      rssEndKb = monitor.rssKb().orElse(-1);
      samples = monitor.samples();
      monitor = null;
    }
  }

  /** The "Resources" section of a report; call after {@link #close()}. */
  void markdown(Md md, Window... windows) {
    md.line("## Resources");
    md.line("");
    if (pid != null) {
      md.line("Server pid %d:", pid);
      md.line("");
      md.line("- Peak VmRSS (sampled every second, %d samples): **%s** over setup and measurement, %s in the measured phase",
          samples, Md.mib(peakRssKb), Md.mib(peakRssMeasuredKb));
      md.line("- VmHWM at the end: **%s**; VmRSS at the end: %s", Md.mib(hwmKb), Md.mib(rssEndKb));
      md.line("- Database processes: %s", ServerMonitor.describeProcesses(database));
    } else {
      md.line("No --server-pid given: server memory and CPU not sampled.");
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    md.line("");
    md.line("CPU, average cores busy (from /proc; %d CPUs); load average (1/5/15 min) at the start and end of each window:", cpus);
    md.line("");
    if (pid != null) {
      md.line("| window | wall s | server JVM | database | JVM / DB split | this client | whole machine | load avg start | load avg end |");
      md.line("|---|---:|---:|---:|---:|---:|---:|---|---|");
    } else {
      md.line("| window | wall s | this client | whole machine | load avg start | load avg end |");
      md.line("|---|---:|---:|---:|---|---|");
    }
    for (Window w : windows) {
      ServerMonitor.CpuSnapshot a = w.from().cpu();
      ServerMonitor.CpuSnapshot b = w.to().cpu();
      double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
      if (wall < MIN_WINDOW_SECONDS) {
        // /proc counts CPU in clock ticks and a database process that appears inside the window counts in full:
        // over a fraction of a second that says nothing.
        md.line(pid != null ? "| %s | %.1f | – | – | – | – | – | %s | %s |" : "| %s | %.1f | – | – | %s | %s |", w.name(), wall,
            w.from().loadAverage(), w.to().loadAverage());
        continue;
      }
      double client = (b.client() - a.client()) / 1e9 / wall;
      double busyShare = b.machineTotal() == a.machineTotal() ? 0
          : (double) (b.machineBusy() - a.machineBusy()) / (b.machineTotal() - a.machineTotal());
      String machine = String.format(java.util.Locale.ROOT, "%.2f (%.0f%%)", busyShare * cpus, busyShare * 100);
      if (pid != null) {
        double jvm = (b.serverJvm() - a.serverJvm()) / 1e9 / wall;
        double db = b.databaseSince(a) / 1e9 / wall;
        String split = jvm + db > 0 ? String.format(java.util.Locale.ROOT, "%.0f%% / %.0f%%", 100 * jvm / (jvm + db),
            100 * db / (jvm + db)) : "–";
        md.line("| %s | %.1f | %.2f | %.2f | %s | %.2f | %s | %s | %s |", w.name(), wall, jvm, db, split, client, machine,
            w.from().loadAverage(), w.to().loadAverage());
      } else {
        md.line("| %s | %.1f | %.2f | %s | %s | %s |", w.name(), wall, client, machine, w.from().loadAverage(),
            w.to().loadAverage());
      }
    }
    md.line("");
    md.line("Windows shorter than %.0f s are shown without CPU figures (too short for /proc's clock-tick accounting). "
        + "Database processes that start inside a window count with all their CPU time.", MIN_WINDOW_SECONDS);
    md.line("");
  }

}
