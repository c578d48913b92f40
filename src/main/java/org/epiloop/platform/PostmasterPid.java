package org.epiloop.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code postmaster.pid} of a data directory says (its first lines: the postmaster's
 * process id, the data directory, its start time, its port; the last one its status), and
 * the operations on that process that a restart after a crash needs: is it alive, is it
 * PostgreSQL serving this very directory, and stop it.
 */
record PostmasterPid(long pid, Path dataDir, int port, String status) {

  private static final Logger log = LoggerFactory.getLogger(PostmasterPid.class);

  /**
   * The signals of PostgreSQL's shutdown modes, gentlest first: fast (roll back sessions,
   * checkpoint, exit), immediate (exit at once; the next start recovers from the WAL), and
   * SIGKILL for a process that no longer answers signals.
   */
  private static final List<String> SHUTDOWN_SIGNALS = List.of("INT", "QUIT", "KILL");

  /** The data directory's {@code postmaster.pid}, if there is one and it can be read. */
  static Optional<PostmasterPid> read(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      if (lines.size() < 4 || lines.get(0).isBlank()) {
        return Optional.empty(); // being written by a postmaster that is starting up
      }
      String status = lines.size() >= 8 ? lines.get(7).strip() : "";
      return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).strip()), Path.of(lines.get(1).strip()),
          Integer.parseInt(lines.get(3).strip()), status));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      log.warn("Cannot read {}: {}", dataDir.resolve("postmaster.pid"), e.toString());
      return Optional.empty();
    }
  }

  /** Whether the server has finished starting (or recovering) and accepts connections. */
  boolean ready() {
    return "ready".equals(status);
  }

  /**
   * Whether the process is alive and is a PostgreSQL server of {@code ourDir}: a process id
   * can be reused by an unrelated process after a crash, and that one must not be signalled.
   */
  boolean runsPostgresOf(Path ourDir) {
    if (!alive(pid) || !sameDirectory(dataDir, ourDir)) {
      return false;
    }
    try {
      // argv of the postmaster: <bin>/postgres -D <dir> ...
      List<String> argv = Arrays.asList(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"),
          StandardCharsets.UTF_8).split("\0"));
      if (argv.isEmpty() || !(argv.get(0).equals("postgres") || argv.get(0).endsWith("/postgres"))) {
        return false;
      }
      int d = argv.indexOf("-D");
      return d < 0 || (d + 1 < argv.size() && sameDirectory(Path.of(argv.get(d + 1)), ourDir));
    } catch (IOException e) {
      // no /proc (not Linux): the process's command is the best evidence left
      return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("postgres")).orElse(false);
    }
  }

  /**
   * Stops the postmaster: fast shutdown, and only when it has not exited within the bound,
   * immediate shutdown and then SIGKILL. Returns once it is gone or all three have failed.
   */
  void stop(Duration bound) {
    for (String signal : SHUTDOWN_SIGNALS) {
      if (!alive(pid)) {
        return;
      }
      if (signal.equals("INT")) {
        log.info("Fast shutdown of the PostgreSQL server (pid {}) of {}", pid, dataDir);
      } else {
        log.warn("The PostgreSQL server (pid {}) of {} did not stop in {} s; sending SIG{}", pid, dataDir,
            bound.toSeconds(), signal);
      }
      signal(pid, signal);
      long deadline = System.nanoTime() + bound.toNanos();
      while (alive(pid) && System.nanoTime() < deadline) {
        pause(Duration.ofMillis(50));
      }
    }
    if (alive(pid)) {
      throw new IllegalStateException("The PostgreSQL server (pid " + pid + ") of " + dataDir + " does not stop");
    }
  }

  /**
   * Alive and not a zombie: a dead process whose parent does not reap it (an orphan under
   * an init that never waits, as in some containers) still has an entry, and a postmaster
   * that has exited must not be waited for.
   */
  static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      // "<pid> (<command>) <state> ...": the command may hold spaces and parentheses
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | IndexOutOfBoundsException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /** Sends a signal by name ({@code INT}, {@code QUIT}, {@code KILL}) to a process. */
  static void signal(long pid, String signal) {
    if (signal.equals("KILL")) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      return;
    }
    try {
      // the JDK sends only SIGTERM and SIGKILL; PostgreSQL's fast shutdown is SIGINT
      Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run kill: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
