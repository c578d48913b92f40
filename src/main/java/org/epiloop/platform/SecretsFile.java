package org.epiloop.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of generated secrets ({@code secrets.properties}, mode 600). Several parts of the
 * application keep a generated secret in it (the keys of {@code shared.Secrets}, the embedded
 * database's password), so every write re-reads the file and adds one entry under one lock:
 * a writer that kept an older copy in memory would otherwise drop another's entry, and a
 * lost database password locks the application out of its own data.
 */
public final class SecretsFile {

  /** The setting that puts the file elsewhere ({@code EPILOOP_SECRETS_FILE}). */
  public static final String SETTING = "epiloop.secrets-file";

  private static final Logger log = LoggerFactory.getLogger(SecretsFile.class);
  private static final Object LOCK = new Object();

  private SecretsFile() {}

  /**
   * Where the file is: {@code configured} ({@link #SETTING}), or {@code <data-dir>/secrets.properties}.
   * When a file is configured and the default one exists (a data directory from before), it is
   * moved there first, so the keys are not copied along with backups of the data directory.
   * Every reader of the file asks here, so the keys and the database password move together.
   */
  public static Path locate(Path dataDirectory, String configured) {
    Path fallback = dataDirectory.resolve("secrets.properties");
    if (configured == null || configured.isBlank()) {
      return fallback;
    }
    Path target = Path.of(configured.strip()).toAbsolutePath().normalize();
    if (target.startsWith(dataDirectory.resolve("pg"))) {
      // the database directory is what gets backed up and copied; the keys must not travel with it
      throw new IllegalStateException(SETTING + " must not be inside the database directory " + dataDirectory.resolve("pg"));
    }
    synchronized (LOCK) {
      if (Files.exists(fallback) && !target.equals(fallback)) {
        if (Files.exists(target)) {
          throw new IllegalStateException("Both " + fallback + " and the configured secrets file " + target
              + " exist; keep the one whose keys encrypted this database and remove the other");
        }
        try {
          Files.createDirectories(target.getParent());
          Files.move(fallback, target);
        } catch (IOException e) {
          throw new IllegalStateException("Cannot move " + fallback + " to " + target + ": " + e.getMessage(), e);
        }
        log.info("Moved the generated secrets from {} to {} (EPILOOP_SECRETS_FILE)", fallback, target);
      }
    }
    return target;
  }

  /** The file's entries, empty when it does not exist yet. */
  public static Properties read(Path file) {
    synchronized (LOCK) {
      Properties p = new Properties();
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          p.load(in);
        } catch (IOException e) {
          throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      return p;
    }
  }

  /**
   * The entry's value; when absent, {@code generated} is stored first (written to a copy with
   * mode 600 and moved over the file, so that a crash never leaves half a file).
   */
  public static String getOrCreate(Path file, String name, java.util.function.Supplier<String> generated) {
    synchronized (LOCK) {
      Properties p = read(file);
      String value = p.getProperty(name);
      if (value != null) {
        return value;
      }
      value = generated.get();
      p.setProperty(name, value);
      write(file, p);
      return value;
    }
  }

  private static void write(Path file, Properties p) {
    Path copy = file.resolveSibling(file.getFileName() + ".new");
    try {
      Files.deleteIfExists(copy);
      Files.createFile(copy);
      try {
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system; keep the default permissions
      }
      try (OutputStream out = Files.newOutputStream(copy)) {
        p.store(out, "Epiloop keys generated on first start. Losing this file makes stored personal data unreadable.");
      }
      try {
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
