package org.epiloop.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.EpiloopApplication;

/**
 * The packaged application in a JVM of its own, on a given port and data directory, so that
 * a test can kill it as a crash would ({@code kill -9}) and start it again.
 */
public final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the application; {@link #awaitReady} waits for it. */
  public static ServerProcess start(Path dataDir, int port, String adminPassword, Path log) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        EpiloopApplication.class.getName(),
        "--server.port=" + port, "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false",
        "--epiloop.admin-password=" + adminPassword, "--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET,
        "--epiloop.sms.gateway=dev", "--logging.level.root=WARN",
        "--logging.level.org.epiloop.platform=INFO"));
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      return new ServerProcess(p, port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Api api() {
    return new Api("http://localhost:" + port, null);
  }

  /** Whether the readiness probe answers UP; false while it is down or nobody listens. */
  public boolean ready() {
    try {
      return api().get("/actuator/health/readiness").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Waits until the application is ready; fails early with its log when it exits. */
  public Duration awaitReady(Duration bound) {
    long t = System.nanoTime();
    await().atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("The application exited with " + process.exitValue() + "; log: " + tail());
      }
      return ready();
    });
    return Duration.ofNanos(System.nanoTime() - t);
  }

  /** {@code kill -9}: no shutdown hook runs, the embedded PostgreSQL is left behind. */
  public void kill() {
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive());
  }

  /** The last lines of the application's log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A graceful stop (SIGTERM), then SIGKILL if it takes too long. */
  @Override
  public void close() {
    process.destroy();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    } finally {
      process.destroyForcibly();
    }
  }
}
