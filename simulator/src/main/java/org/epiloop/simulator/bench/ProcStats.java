package org.epiloop.simulator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Reads Linux /proc: a process's memory (VmRSS, VmHWM) and CPU time, and the machine's CPU time. */
public final class ProcStats {

  private static final long CLOCK_TICKS = clockTicks();

  private ProcStats() {}

  /** A field of /proc/&lt;pid&gt;/status in kB ("VmRSS", "VmHWM"), if the process exists. */
  public static OptionalLong statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          String v = line.substring(field.length() + 1).trim();
          return OptionalLong.of(Long.parseLong(v.split("\\s+")[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone or unreadable
    }
    return OptionalLong.empty();
  }

  /** User + system CPU time of one process in nanoseconds, if it exists. */
  public static OptionalLong cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // f[0] is field 3 (state); utime is field 14, stime field 15.
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return OptionalLong.of(ticks * 1_000_000_000L / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** CPU time of each of these processes that still exists, nanoseconds. */
  public static Map<Long, Long> cpuNanos(Collection<Long> pids) {
    Map<Long, Long> m = new HashMap<>();
    for (long p : pids) {
      cpuNanos(p).ifPresent(v -> m.put(p, v));
    }
    return m;
  }

  /**
   * The processes that make up the server's database: its own descendants (an embedded database it
   * started as a child), plus every process tree on this machine that listens on a TCP port the
   * server is connected to (how an embedded PostgreSQL started through pg_ctl, which detaches from
   * the JVM, or a local PostgreSQL is found). Keyed by pid, valued by the command name.
   */
  public static Map<Long, String> databaseProcesses(long serverPid) {
    Map<Long, String> found = new TreeMap<>();
    ProcessHandle.of(serverPid).ifPresent(p -> p.descendants().forEach(d -> found.put(d.pid(), name(d.pid()))));
    Set<Long> serverSockets = socketInodes(serverPid);
    List<String[]> tcp = tcpTable();
    Set<Integer> remotePorts = new HashSet<>();
    for (String[] row : tcp) {
      // row: local "ADDR:PORT", remote "ADDR:PORT", state, inode
      if (serverSockets.contains(Long.parseLong(row[3])) && "01".equals(row[2]) && isLoopbackOrLocal(row[1])) {
        remotePorts.add(Integer.parseInt(row[1].substring(row[1].lastIndexOf(':') + 1), 16));
      }
    }
    Set<Long> listening = new HashSet<>();
    for (String[] row : tcp) {
      if ("0A".equals(row[2]) && remotePorts.contains(Integer.parseInt(row[0].substring(row[0].lastIndexOf(':') + 1), 16))) {
        listening.add(Long.parseLong(row[3]));
      }
    }
    if (!listening.isEmpty()) {
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path proc : procs) {
          long pid = Long.parseLong(proc.getFileName().toString());
          if (pid == serverPid || pid == ProcessHandle.current().pid()) {
            continue;
          }
          Set<Long> mine = socketInodes(pid);
          if (mine.stream().anyMatch(listening::contains)) {
            found.put(pid, name(pid));
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> found.put(d.pid(), name(d.pid()))));
          }
        }
      } catch (IOException | RuntimeException e) {
        // best effort
      }
    }
    return found;
  }

  private static boolean isLoopbackOrLocal(String hexAddrPort) {
    String addr = hexAddrPort.substring(0, hexAddrPort.lastIndexOf(':'));
    // IPv4 127.x.x.x is stored little-endian: "0100007F"; IPv6 ::1 and v4-mapped ::ffff:127.x.
    return addr.endsWith("7F") || addr.equals("00000000000000000000000001000000")
        || addr.startsWith("0000000000000000FFFF0000") && addr.endsWith("7F");
  }

  /** Rows of /proc/net/tcp and tcp6 as {local, remote, state, inode}. */
  private static List<String[]> tcpTable() {
    List<String[]> rows = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(file));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9) {
            rows.add(new String[] {f[1], f[2], f[3], f[9]});
          }
        }
      } catch (IOException | RuntimeException e) {
        // absent
      }
    }
    return rows;
  }

  private static Set<Long> socketInodes(long pid) {
    Set<Long> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not ours to read, or gone
    }
    return inodes;
  }

  public static String name(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** This JVM's CPU time in nanoseconds. */
  static long selfCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return cpuNanos(ProcessHandle.current().pid()).orElse(0);
  }

  /** Machine-wide busy and total CPU time from /proc/stat (all cores), in nanoseconds: {busy, total}. */
  static long[] machineCpuNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new long[] {(total - idle) * 1_000_000_000L / CLOCK_TICKS, total * 1_000_000_000L / CLOCK_TICKS};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  public static boolean available() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
