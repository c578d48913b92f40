package org.epiloop.shared;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.platform.SecretsFile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The application's symmetric keys. Each is taken from configuration
 * ({@code epiloop.secrets.<name>}, base64, at least 32 bytes) when set — as production must,
 * so that all copies share them — and otherwise generated once into
 * {@code <data-dir>/secrets.properties} (mode 600, see {@link SecretsFile}) for the embedded default.
 */
@Component
public class Secrets {

  private final Map<String, String> generated = new ConcurrentHashMap<>();
  private final Environment env;
  private final Path file;

  Secrets(EpiloopProperties properties, Environment env) {
    this.env = env;
    this.file = properties.secretsFile();
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
    String value = generated.computeIfAbsent(name, n -> SecretsFile.getOrCreate(file, n, () -> {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      return Base64.getEncoder().encodeToString(key);
    }));
    return Base64.getDecoder().decode(value);
  }

}
