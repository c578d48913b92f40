package org.epiloop.platform;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings that belong to the whole application rather than one module.
 *
 * @param dataDir where the embedded database, generated keys and other local state live
 *     ({@code EPILOOP_DATA_DIR})
 * @param adminPassword password of the bootstrap {@code admin} user; generated and printed
 *     once when empty ({@code EPILOOP_ADMIN_PASSWORD})
 * @param demo seed a small demo city on first start ({@code EPILOOP_DEMO})
 * @param embeddedDbPort fixed port for the embedded PostgreSQL, 0 for any free port
 * @param staffTokenTtl how long a staff bearer token is valid
 * @param residentTokenTtl how long a resident bearer token is valid
 * @param zone the city's time zone: where "today" starts on the command centre
 */
@Validated
@ConfigurationProperties("epiloop")
public record EpiloopProperties(
    @NotNull Path dataDir,
    String adminPassword,
    @DefaultValue("true") boolean demo,
    @DefaultValue("0") int embeddedDbPort,
    @DefaultValue("12h") @NotNull Duration staffTokenTtl,
    @DefaultValue("24h") @NotNull Duration residentTokenTtl,
    @DefaultValue("Asia/Shanghai") @NotNull java.time.ZoneId zone) {

  public EpiloopProperties {
    if (embeddedDbPort < 0 || embeddedDbPort > 65535) {
      throw new IllegalArgumentException(
          "epiloop.embedded-db-port must be between 0 and 65535, was " + embeddedDbPort);
    }
    if (staffTokenTtl.isNegative() || staffTokenTtl.isZero()) {
      throw new IllegalArgumentException("epiloop.staff-token-ttl must be positive");
    }
  }

  /** Ensures the data directory exists and returns it as an absolute path. */
  public Path dataDirectory() {
    try {
      Path dir = dataDir.toAbsolutePath().normalize();
      java.nio.file.Files.createDirectories(dir);
      return dir;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** The file of generated secrets: keys, and the embedded database's password ({@link SecretsFile}). */
  public Path secretsFile() {
    return dataDirectory().resolve("secrets.properties");
  }
}
