package org.epiloop.environment;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * LabEnvironment monitoring settings.
 *
 * @param gatewayBatchesPerMinute batches one gateway may send per minute (a gateway that loops
 *     must not flood the database; 1200 batches of 500 are 10,000 readings a second)
 * @param maxBatch most readings in one batch
 * @param silenceCheck how often silent sensors are looked for
 * @param mqtt the MQTT broker Epiloop subscribes to
 */
@ConfigurationProperties("epiloop.environment")
record EnvironmentProperties(@DefaultValue("1200") int gatewayBatchesPerMinute, @DefaultValue("5000") int maxBatch,
    @DefaultValue("30s") Duration silenceCheck, @DefaultValue Mqtt mqtt) {

  EnvironmentProperties {
    if (gatewayBatchesPerMinute < 1) {
      throw new IllegalArgumentException("epiloop.environment.gateway-batches-per-minute must be at least 1");
    }
    if (maxBatch < 1 || maxBatch > 50_000) {
      throw new IllegalArgumentException("epiloop.environment.max-batch must be 1–50000");
    }
    if (silenceCheck.isNegative() || silenceCheck.isZero()) {
      throw new IllegalArgumentException("epiloop.environment.silence-check must be positive");
    }
  }

  /**
   * The broker lab gateways publish to; off unless enabled.
   *
   * @param enabled subscribe at start
   * @param uri {@code tcp://host:1883} or {@code ssl://host:8883}
   * @param clientId this copy's client id (unique per copy; a shared subscription is not in MQTT 3.1.1)
   * @param username broker login, or empty
   * @param password broker password, or empty
   * @param topicFilter the readings' topics; the lab and device are the 3rd and 5th levels
   * @param qos 0 or 1 (1: a reading is delivered at least once; duplicates are harmless)
   * @param flushEvery readings are written in batches at least this often
   * @param flushSize … or when this many are waiting
   */
  record Mqtt(@DefaultValue("false") boolean enabled, @DefaultValue("tcp://localhost:1883") String uri,
      @DefaultValue("epiloop") String clientId, @DefaultValue("") String username, @DefaultValue("") String password,
      @DefaultValue("epiloop/labs/+/devices/+/readings") String topicFilter, @DefaultValue("1") int qos,
      @DefaultValue("200ms") Duration flushEvery, @DefaultValue("2000") int flushSize) {

    Mqtt {
      if (enabled) {
        URI u;
        try {
          u = URI.create(uri);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("epiloop.environment.mqtt.uri is not a URI: " + uri);
        }
        if (!"tcp".equals(u.getScheme()) && !"ssl".equals(u.getScheme()) || u.getHost() == null) {
          throw new IllegalArgumentException("epiloop.environment.mqtt.uri must be tcp://host:port or ssl://host:port, not " + uri);
        }
        if (clientId.isBlank() || clientId.length() > 64) {
          throw new IllegalArgumentException("epiloop.environment.mqtt.client-id must be 1–64 characters");
        }
        if (!topicFilter.matches("[^#]*\\+[^#]*\\+[^#]*") || topicFilter.split("/").length < 5) {
          throw new IllegalArgumentException("epiloop.environment.mqtt.topic-filter must hold the lab and device as its 3rd and 5th levels (+), e.g. epiloop/labs/+/devices/+/readings");
        }
      }
      if (qos < 0 || qos > 1) {
        throw new IllegalArgumentException("epiloop.environment.mqtt.qos must be 0 or 1");
      }
      if (flushEvery.isNegative() || flushEvery.isZero() || flushSize < 1) {
        throw new IllegalArgumentException("epiloop.environment.mqtt.flush-every and flush-size must be positive");
      }
    }

    @Override
    public String toString() { // the password is a secret
      return "Mqtt[enabled=" + enabled + ", uri=" + uri + ", clientId=" + clientId + ", topicFilter=" + topicFilter + "]";
    }
  }
}
