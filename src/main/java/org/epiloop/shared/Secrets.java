package org.epiloop.shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import org.epiloop.platform.EpiloopProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The application's symmetric keys. Each is taken from configuration
 * ({@code epiloop.secrets.<name>}, base64, at least 32 bytes) when set — as production must,
 * so that all copies share them — and otherwise generated once into
 * {@code <data-dir>/secrets.properties} (mode 600) for the embedded default.
 */
@Component
public class Secrets {

  private final Properties generated = new Properties();
  private final Environment env;
  private final Path file;

  Secrets(EpiloopProperties properties, Environment env) {
    this.env = env;
    this.file = properties.dataDirectory().resolve("secrets.properties");
    load();
  }

  /** The named key: 32 bytes or more. */
  public synchronized byte[] key(String name) {
    String configured = env.getProperty("epiloop.secrets." + name);
    if (configured != null && !configured.isBlank()) {
      byte[] key = Base64.getDecoder().decode(configured.strip());
      if (key.length < 32) {
        throw new IllegalStateException("epiloop.secrets." + name + " must be at least 32 bytes (base64), has " + key.length);
      }
      return key;
    }
    String value = generated.getProperty(name);
    if (value == null) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      value = Base64.getEncoder().encodeToString(key);
      generated.setProperty(name, value);
      store();
    }
    return Base64.getDecoder().decode(value);
  }

  private void load() {
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        generated.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private void store() {
    try {
      if (!Files.exists(file)) {
        Files.createFile(file);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system; keep the default permissions
        }
      }
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        generated.store(out, "Epiloop keys generated on first start. Losing this file makes stored personal data unreadable.");
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
