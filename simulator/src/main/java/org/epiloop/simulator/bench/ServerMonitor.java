package org.epiloop.simulator.bench;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Watches the server process (when its pid is known and it runs on this machine): samples VmRSS
 * every second and keeps the peak, overall and within the measured phase.
 */
public final class ServerMonitor implements AutoCloseable {

  /** CPU times at one instant, nanoseconds; {@code database} per pid of the server's database processes. */
  public record CpuSnapshot(long wallNanos, long serverJvm, Map<Long, Long> database, long client, long machineBusy,
      long machineTotal) {

    public static CpuSnapshot take(long pid, Collection<Long> databasePids) {
      long[] m = ProcStats.machineCpuNanos();
      return new CpuSnapshot(System.nanoTime(), pid > 0 ? ProcStats.cpuNanos(pid).orElse(0) : 0,
          ProcStats.cpuNanos(databasePids), ProcStats.selfCpuNanos(), m[0], m[1]);
    }

    /** Database CPU spent between {@code earlier} and this snapshot (processes new since then count in full). */
    public long databaseSince(CpuSnapshot earlier) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : database.entrySet()) {
        sum += Math.max(0, e.getValue() - earlier.database.getOrDefault(e.getKey(), 0L));
      }
      return sum;
    }
  }

  private final long pid;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean measuring;
  private volatile long peakRssKb = -1;
  private volatile long peakRssMeasuredKb = -1;
  private volatile int samples;

  public ServerMonitor(long pid) {
    this.pid = pid;
    this.thread = new Thread(this::loop, "rss-sampler");
    this.thread.setDaemon(true);
  }

  public void start() {
    sample();
    thread.start();
  }

  public void measuring(boolean on) {
    measuring = on;
    if (on) {
      sample();
    }
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  private synchronized void sample() {
    OptionalLong rss = ProcStats.statusKb(pid, "VmRSS");
    if (rss.isPresent()) {
      samples++;
      peakRssKb = Math.max(peakRssKb, rss.getAsLong());
      if (measuring) {
        peakRssMeasuredKb = Math.max(peakRssMeasuredKb, rss.getAsLong());
      }
    }
  }

  public long peakRssKb() {
    return peakRssKb;
  }

  public long peakRssMeasuredKb() {
    return peakRssMeasuredKb;
  }

  public int samples() {
    return samples;
  }

  public OptionalLong hwmKb() {
    return ProcStats.statusKb(pid, "VmHWM");
  }

  public OptionalLong rssKb() {
    return ProcStats.statusKb(pid, "VmRSS");
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    sample();
  }

  /** "12 processes: postgres (postmaster), 11 × postgres: …" in short. */
  public static String describeProcesses(java.util.Map<Long, String> processes) {
    if (processes.isEmpty()) {
      return "no local database processes found";
    }
    java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
    for (String cmd : processes.values()) {
      String exe = cmd.split(" ")[0];
      String k;
      if (cmd.matches("postgres: \\S+ \\S+ .*\\(\\d+\\).*")) {
        k = "postgres backend";
      } else if (cmd.startsWith("postgres: ")) {
        k = "postgres " + cmd.substring(10).trim();
      } else if (exe.endsWith("/postgres") || exe.equals("postgres")) {
        k = "postmaster";
      } else {
        k = exe.substring(exe.lastIndexOf('/') + 1);
      }
      kinds.merge(k, 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder().append(processes.size()).append(" local processes: ");
    String sep = "";
    for (java.util.Map.Entry<String, Integer> e : kinds.entrySet()) {
      b.append(sep).append(e.getValue() > 1 ? e.getValue() + " × " : "").append(e.getKey());
      sep = ", ";
    }
    return b.toString();
  }
}
