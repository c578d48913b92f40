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

/**
 * The file of generated secrets ({@code secrets.properties}, mode 600). Several parts of the
 * application keep a generated secret in it (the keys of {@code shared.Secrets}, the embedded
 * database's password), so every write re-reads the file and adds one entry under one lock:
 * a writer that kept an older copy in memory would otherwise drop another's entry, and a
 * lost database password locks the application out of its own data.
 */
public final class SecretsFile {

  private static final Object LOCK = new Object();

  private SecretsFile() {}

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
