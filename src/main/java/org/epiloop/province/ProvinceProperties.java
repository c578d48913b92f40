package org.epiloop.province;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delivery to the provincial platform (P2). Off unless {@code enabled}; when on, the start fails
 * with every problem named at once (HikariConfig style).
 *
 * @param enabled queue and send released results (off in the demo city)
 * @param endpoint the province's FHIR base URL; transaction bundles are POSTed to it. https, except
 *     on the loopback interface (a receiver on this machine, as in tests)
 * @param bearerToken sent as {@code Authorization: Bearer …}; or null
 * @param keyStore a PKCS#12 file with this city's client certificate for mutual TLS; or null
 * @param keyStorePassword its password
 * @param trustStore a PKCS#12 file with the province's CA when it is not a public one; or null
 * @param trustStorePassword its password
 * @param batchSize bundles one worker claims at a time
 * @param parallelism workers sending at once in this copy (each copy of Epiloop has its own)
 * @param timeout per request; a slower answer counts as a failure and is retried
 * @param connectTimeout per connection
 * @param initialBackoff wait after the first failure; doubled after each further one, with jitter
 * @param maxBackoff the longest wait between tries
 * @param pollInterval how often an idle worker looks for work
 */
@Validated
@ConfigurationProperties("epiloop.province")
record ProvinceProperties(
    @DefaultValue("false") boolean enabled,
    URI endpoint,
    String bearerToken,
    Path keyStore,
    String keyStorePassword,
    Path trustStore,
    String trustStorePassword,
    @DefaultValue("50") int batchSize,
    @DefaultValue("4") int parallelism,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("10m") Duration maxBackoff,
    @DefaultValue("1s") Duration pollInterval) {

  ProvinceProperties {
    List<String> problems = new ArrayList<>();
    if (batchSize < 1 || batchSize > 1000) {
      problems.add("batch-size must be 1 to 1000, was " + batchSize);
    }
    if (parallelism < 1 || parallelism > 64) {
      problems.add("parallelism must be 1 to 64, was " + parallelism);
    }
    for (var d : List.of(java.util.Map.entry("timeout", timeout), java.util.Map.entry("connect-timeout", connectTimeout),
        java.util.Map.entry("initial-backoff", initialBackoff), java.util.Map.entry("max-backoff", maxBackoff),
        java.util.Map.entry("poll-interval", pollInterval))) {
      if (d.getValue().isNegative() || d.getValue().isZero()) {
        problems.add(d.getKey() + " must be positive, was " + d.getValue());
      }
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      problems.add("max-backoff must not be shorter than initial-backoff");
    }
    if (enabled) {
      if (endpoint == null) {
        problems.add("endpoint is required when delivery is enabled");
      } else if (!"https".equals(endpoint.getScheme()) && !("http".equals(endpoint.getScheme()) && loopback(endpoint.getHost()))) {
        // personal data goes in these bundles: only TLS leaves the machine
        problems.add("endpoint must be https (plain http only to a receiver on this machine), was " + endpoint);
      }
      if ((bearerToken == null || bearerToken.isBlank()) && keyStore == null) {
        problems.add("bearer-token or key-store (mutual TLS) is required when delivery is enabled");
      }
      if (keyStore != null && keyStorePassword == null) {
        problems.add("key-store-password is required with key-store");
      }
      if (trustStore != null && trustStorePassword == null) {
        problems.add("trust-store-password is required with trust-store");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("epiloop.province: " + String.join("; ", problems));
    }
  }

  private static boolean loopback(String host) {
    return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host) || "::1".equals(host);
  }

  @Override
  public String toString() {
    return "ProvinceProperties[enabled=" + enabled + ", endpoint=" + endpoint + ", batchSize=" + batchSize + ", parallelism="
        + parallelism + "]";
  }
}
