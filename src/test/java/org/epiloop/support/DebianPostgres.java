package org.epiloop.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package (not the embedded one), for
 * the tests of the external-database mode: its own cluster in a temporary directory, on
 * 127.0.0.1 and a free port, with a password; it can be stopped and started again on the same
 * data to stand for a database that goes away. PostgreSQL refuses to run as root, so under root
 * (CI) it runs as the package's {@code postgres} user.
 *
 * <p>Without {@code apt-get install postgresql} the test fails rather than skips, so CI cannot
 * silently lose it ({@code .ci/run} installs it).
 */
public final class DebianPostgres implements AutoCloseable {

  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password = UUID.randomUUID().toString();

  private DebianPostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Creates a cluster and starts it. */
  public static DebianPostgres start() throws IOException, InterruptedException {
    DebianPostgres pg = new DebianPostgres(binaries(), Files.createTempDirectory("epiloop-debian-pg-"), freePort());
    if (ROOT) {
      UserPrincipalLookupService users = pg.dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(pg.dir, users.lookupPrincipalByName("postgres"));
    }
    Path pwfile = pg.dir.resolve("pwfile");
    pg.run(List.of("sh", "-c", "umask 077; printf '%s' \"$1\" > \"$2\"", "sh", pg.password, pwfile.toString()));
    pg.run(List.of(pg.bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", "postgres", "-A", "scram-sha-256",
        "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8"));
    pg.resume();
    return pg;
  }

  /** Starts the server (again) on its data and port. */
  public void resume() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir + " -c fsync=off", "start"));
  }

  /** Stops the server (fast shutdown), keeping its data. */
  public void stop() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop"));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String username() {
    return "postgres";
  }

  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        stop();
      }
    } catch (IOException | InterruptedException e) {
      // best effort: the directory goes anyway
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException | UncheckedIOException e) {
        dir.toFile().deleteOnExit();
      }
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("epiloop-debian-pg-", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The newest installed major version's binaries. */
  private static Path binaries() throws IOException {
    if (Files.isDirectory(VERSIONS)) {
      try (Stream<Path> versions = Files.list(VERSIONS)) {
        var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
            .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    fail("The external-database tests need Debian's PostgreSQL server in " + VERSIONS + ": apt-get install postgresql");
    throw new IllegalStateException();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
