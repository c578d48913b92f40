package org.epiloop.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server of one data directory, run as a child process of this JVM.
 *
 * <p>Start: a server left running by a JVM that was killed ({@code kill -9}) is found through
 * {@code postmaster.pid} and stopped (fast shutdown); zonky then prepares the binaries and,
 * for a new directory, runs {@code initdb}; it starts the server once, which is when a data
 * directory from before password authentication is upgraded (the password is set while
 * {@code trust} still lets us in, then {@code pg_hba.conf} is rewritten); and it is stopped
 * again and started as this JVM's child. zonky's server would be a grandchild that no one
 * reaps: after a crash it could stay a zombie whose process id still blocks a new
 * postmaster, and its death could not be watched.
 *
 * <p>The server listens on loopback only and takes password (SCRAM) logins only; the
 * password is generated into the secrets file ({@link SecretsFile}).
 *
 * <p>When the server dies while the application runs, it is started again on the same data
 * directory and port (PostgreSQL recovers from its WAL), and the pool reconnects by itself.
 */
final class EmbeddedServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  static final String USER = "postgres";
  static final String PASSWORD_ENTRY = "database-password";

  /** First line of the pg_hba.conf Epiloop writes; a file without it predates passwords. */
  private static final String HBA_MARKER = "# Epiloop: password (SCRAM) logins only, from this machine only.";
  private static final String HBA = HBA_MARKER + """

      # Written by Epiloop; a file that does not begin with the line above is replaced at start.
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  /** How long a start (or the crash recovery it begins with) may take. */
  private static final Duration START_BOUND = Duration.ofSeconds(60);
  /** How long each shutdown mode is given before the next, harsher one. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(15);

  private final Path pgDir;
  private final Path binDir;
  private final int port;
  private final Map<String, String> config;
  private final Path logFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ExecutorService watchdog = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "embedded-postgres-watchdog");
    t.setDaemon(true);
    return t;
  });
  private volatile Process process;
  private volatile boolean closing;
  private volatile Listener listener = new Listener() {};

  /** Told when the server died and when it runs again. */
  interface Listener {
    default void died(String why) {}

    default void restarted() {}
  }

  private EmbeddedServer(Path pgDir, Path binDir, int port, Map<String, String> config, Path logFile,
      FileChannel lockChannel, FileLock lock) {
    this.pgDir = pgDir;
    this.binDir = binDir;
    this.port = port;
    this.config = config;
    this.logFile = logFile;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts the server of {@code dataDir/pg} on {@code port} (0: any free port) with the
   * given settings, taking over from a crashed predecessor first.
   */
  static EmbeddedServer start(Path dataDir, int port, Map<String, String> settings, Path secretsFile) throws IOException {
    long started = System.nanoTime();
    Path pgDir = dataDir.resolve("pg");
    FileChannel lockChannel = FileChannel.open(dataDir.resolve("pg.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("The database in " + pgDir + " is used by another running Epiloop; "
          + "give each copy its own EPILOOP_DATA_DIR, or share an external PostgreSQL");
    }
    try {
      takeOverOrphan(pgDir);
      String password = password(pgDir, secretsFile);
      Map<String, String> config = new LinkedHashMap<>(settings);
      // loopback only, and no Unix socket: nothing outside this machine can try a password
      config.put("listen_addresses", "localhost");
      config.put("unix_socket_directories", "");

      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(pgDir)
          .setCleanDataDirectory(false)
          .setConnectConfig("password", password)
          .setPGStartupWait(START_BOUND);
      config.forEach(builder::setServerConfig);
      if (port > 0) {
        builder.setPort(port);
      }
      Path binDir;
      int actualPort;
      try (EmbeddedPostgres pg = builder.start()) {
        actualPort = pg.getPort();
        binDir = binDirectory(pgDir);
        if (!hbaIsOurs(pgDir)) {
          lockWithPassword(pg, pgDir, password);
        }
      }
      EmbeddedServer server = new EmbeddedServer(pgDir, binDir, actualPort, config, dataDir.resolve("postgresql.log"),
          lockChannel, lock);
      server.launch();
      log.info("Embedded PostgreSQL started in {} ms on localhost:{} with data in {}",
          Duration.ofNanos(System.nanoTime() - started).toMillis(), actualPort, pgDir);
      return server;
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  /** Whom to tell when the server dies and comes back. */
  void watch(Listener listener) {
    this.listener = listener;
  }

  /**
   * A server of this directory that outlived its JVM still holds {@code postmaster.pid} and
   * would make the new one wait for its start in vain: fast shutdown (sessions are rolled
   * back, a checkpoint is written) within a bound, then harsher.
   */
  private static void takeOverOrphan(Path pgDir) {
    PostmasterPid.read(pgDir).filter(p -> p.runsPostgresOf(pgDir)).ifPresent(orphan -> {
      long t = System.nanoTime();
      log.warn("A PostgreSQL server (pid {}) of {} outlived the application that started it; stopping it", orphan.pid(), pgDir);
      orphan.stop(STOP_BOUND);
      log.warn("The orphaned PostgreSQL server stopped in {} ms", Duration.ofNanos(System.nanoTime() - t).toMillis());
    });
  }

  /**
   * The database password: generated on the first start with passwords; when
   * {@code pg_hba.conf} already demands it, it must be there (a new one could not log in).
   */
  private static String password(Path pgDir, Path secretsFile) {
    if (hbaIsOurs(pgDir)) {
      String kept = SecretsFile.read(secretsFile).getProperty(PASSWORD_ENTRY);
      if (kept == null) {
        throw new IllegalStateException("The embedded database demands a password but " + secretsFile + " holds no "
            + PASSWORD_ENTRY + "; restore that file (it also holds the keys of the stored personal data)");
      }
      return kept;
    }
    return SecretsFile.getOrCreate(secretsFile, PASSWORD_ENTRY, () -> {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    });
  }

  private static boolean hbaIsOurs(Path pgDir) {
    Path hba = pgDir.resolve("pg_hba.conf");
    try {
      return Files.exists(hba) && Files.readAllLines(hba, StandardCharsets.UTF_8).stream().findFirst()
          .map(HBA_MARKER::equals).orElse(false);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + hba + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets the superuser's password (hashed by the driver: the clear text never reaches the
   * server or its log) while initdb's {@code trust} still admits us, then replaces
   * {@code pg_hba.conf}; the server started next reads it.
   */
  private static void lockWithPassword(EmbeddedPostgres pg, Path pgDir, String password) throws IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot set the embedded database's password: " + e.getMessage(), e);
    }
    Path hba = pgDir.resolve("pg_hba.conf");
    Path copy = pgDir.resolve("pg_hba.conf.new");
    Files.writeString(copy, HBA, StandardCharsets.UTF_8);
    Files.move(copy, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log.info("The embedded database now takes password logins only (pg_hba.conf rewritten)");
  }

  /** Where zonky unpacked the server: the program named first in {@code postmaster.opts}. */
  private static Path binDirectory(Path pgDir) throws IOException {
    String opts = Files.readString(pgDir.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
    String program = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split(" ", 2)[0];
    return Path.of(program).getParent();
  }

  /** Starts the server as a child of this JVM and waits until it accepts connections. */
  private synchronized void launch() throws IOException {
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (true) {
      Process p = spawn();
      String why = awaitReady(p, deadline);
      if (why == null) {
        process = p;
        p.onExit().thenRun(() -> watchdog.execute(() -> exited(p)));
        return;
      }
      p.destroyForcibly();
      if (System.nanoTime() > deadline) {
        throw new IOException("The embedded PostgreSQL server did not start within " + START_BOUND.toSeconds()
            + " s (" + why + "); see " + logFile);
      }
      // typically: backends of a killed postmaster still hold its shared memory for a moment
      log.info("The embedded PostgreSQL server did not start ({}); trying again", why);
      PostmasterPid.pause(Duration.ofMillis(250));
    }
  }

  private Process spawn() throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // as zonky does when run as root, which PostgreSQL refuses: a user namespace of its own
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(binDir.resolve("postgres").toString(), "-D", pgDir.toString(), "-p", Integer.toString(port)));
    config.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  /** Null once the server accepts connections, or why it will not. */
  private String awaitReady(Process p, long deadline) {
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return "exited with status " + p.exitValue();
      }
      if (PostmasterPid.read(pgDir).filter(pid -> pid.pid() == p.pid() && pid.ready()).isPresent()) {
        return null;
      }
      PostmasterPid.pause(Duration.ofMillis(50));
    }
    return "not ready in time";
  }

  /** The watchdog: a server that exits while the application runs is started again. */
  private void exited(Process p) {
    if (closing || p != process || jvmShuttingDown()) {
      return;
    }
    String why = "The embedded PostgreSQL server (pid " + p.pid() + ") exited with status " + p.exitValue();
    log.error("{}; starting it again on {}", why, pgDir);
    listener.died(why);
    long t = System.nanoTime();
    while (!closing) {
      try {
        launch();
        log.warn("The embedded PostgreSQL server runs again (pid {}) after {} ms", process.pid(),
            Duration.ofNanos(System.nanoTime() - t).toMillis());
        listener.restarted();
        return;
      } catch (IOException | RuntimeException e) {
        log.error("Restarting the embedded PostgreSQL server failed; trying again: {}", e.getMessage());
        PostmasterPid.pause(Duration.ofSeconds(1));
      }
    }
  }

  /** From now on an exit of the server is expected: the application is closing. */
  void stopWatching() {
    closing = true;
  }

  /** Ctrl-C reaches the server too; the JVM stopping is no reason to start it again. */
  private static boolean jvmShuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** Fast shutdown, then harsher ones if it does not stop in time. */
  @Override
  public synchronized void close() {
    closing = true;
    watchdog.shutdownNow();
    Process p = process;
    try {
      if (p != null && p.isAlive()) {
        new PostmasterPid(p.pid(), pgDir, port, "").stop(STOP_BOUND);
      }
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        log.warn("Cannot release {}: {}", pgDir.resolveSibling("pg.lock"), e.getMessage());
      }
    }
  }
}
