package org.epiloop.environment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.epiloop.shared.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readings through MQTT, the protocol lab IoT gateways speak: Epiloop subscribes to the
 * configured broker (Eclipse Paho) on {@code epiloop/labs/{lab}/devices/{device}/readings}; a
 * message holds one reading {@code {"measure","at","value"}} or an array of them. The broker
 * authenticates the gateways and allows each to publish under its own lab only; Epiloop logs in
 * to it with its own account. Messages are gathered and written in batches through
 * {@link Readings} (one transaction per lab and flush), so MQTT costs the database what HTTP
 * batches do. The client reconnects by itself (and keeps its session, so the broker holds QoS 1
 * messages meanwhile); the first connection is retried until it succeeds.
 */
@Component
class MqttReadings implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MqttReadings.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Queued(String lab, Readings.Reading reading) {}

  private final EnvironmentProperties.Mqtt settings;
  private final Readings readings;
  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile ScheduledExecutorService worker;
  private volatile MqttClient client;
  private volatile boolean running;

  @Autowired
  MqttReadings(EnvironmentProperties properties, Readings readings) {
    this(properties.mqtt(), readings);
  }

  MqttReadings(EnvironmentProperties.Mqtt settings, Readings readings) {
    this.settings = settings;
    this.readings = readings;
  }

  @Override
  public void start() {
    if (!settings.enabled() || running) {
      return;
    }
    running = true;
    worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mqtt-readings");
      t.setDaemon(true);
      return t;
    });
    worker.execute(this::connect);
    long every = settings.flushEvery().toMillis();
    worker.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
  }

  private void connect() {
    if (!running) {
      return;
    }
    try {
      MqttClient c = new MqttClient(settings.uri(), settings.clientId(), new MemoryPersistence());
      c.setCallback(new Callback(c));
      MqttConnectOptions options = new MqttConnectOptions();
      options.setAutomaticReconnect(true);
      options.setCleanSession(false);
      options.setMaxInflight(1000);
      if (!settings.username().isEmpty()) {
        options.setUserName(settings.username());
        options.setPassword(settings.password().toCharArray());
      }
      c.connect(options);
      client = c;
      log.info("MQTT: connected to {} as {}, subscribed to {}", settings.uri(), settings.clientId(), settings.topicFilter());
    } catch (MqttException e) {
      log.warn("MQTT: cannot connect to {} ({}); trying again in 5 s", settings.uri(), e.getMessage());
      if (running) {
        worker.schedule(this::connect, 5, TimeUnit.SECONDS);
      }
    }
  }

  private final class Callback implements MqttCallbackExtended {
    /**
     * The client this callback belongs to: Paho may call connectComplete before connect()
     * returns, that is before the field {@code client} is set, and the subscription must not
     * depend on that race.
     */
    private final MqttClient owner;

    Callback(MqttClient owner) {
      this.owner = owner;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      try {
        // subscribing again after a reconnect is harmless, and needed when the broker lost the session
        owner.subscribe(settings.topicFilter(), settings.qos());
      } catch (MqttException e) {
        log.warn("MQTT: subscription to {} failed: {}", settings.topicFilter(), e.getMessage());
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      log.warn("MQTT: connection lost ({}); reconnecting", cause == null ? "?" : cause.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      accept(topic, message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  /** Queues the readings of one message; a message that cannot be read is counted and dropped (never retried: it would fail again). */
  void accept(String topic, byte[] payload) {
    String[] levels = topic.split("/");
    if (levels.length < 5) {
      dropped.incrementAndGet();
      return;
    }
    String lab = levels[2];
    String device = levels[4];
    try {
      JsonNode root = JSON.readTree(payload);
      JsonNode list = root.isArray() ? root : root.has("readings") ? root.get("readings") : null;
      if (list == null) {
        queue.add(new Queued(lab, reading(device, root)));
        received.incrementAndGet();
      } else {
        for (JsonNode n : list) {
          queue.add(new Queued(lab, reading(device, n)));
          received.incrementAndGet();
        }
      }
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      log.debug("MQTT: unreadable message on {}: {}", topic, e.getMessage());
    }
    if (queue.size() >= settings.flushSize() && worker != null) {
      worker.execute(this::flush);
    }
  }

  private static Readings.Reading reading(String device, JsonNode n) {
    JsonNode value = n.get("value");
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException("value must be a number");
    }
    return new Readings.Reading(device, Measure.parse("measure", n.path("measure").asString(null)),
        GatewayBatches.instant("at", n.path("at").asString(null)), value.asDouble());
  }

  /** Writes what is queued, one batch per lab; a batch refused as a whole is tried device by device. */
  synchronized void flush() {
    Map<String, List<Readings.Reading>> byLab = new LinkedHashMap<>();
    Queued q;
    int n = 0;
    while (n < 20_000 && (q = queue.poll()) != null) {
      byLab.computeIfAbsent(q.lab(), k -> new ArrayList<>()).add(q.reading());
      n++;
    }
    byLab.forEach((lab, list) -> {
      try {
        readings.ingest(lab, list);
        written.addAndGet(list.size());
      } catch (ApiException e) {
        Map<String, List<Readings.Reading>> byDevice = new LinkedHashMap<>();
        list.forEach(r -> byDevice.computeIfAbsent(r.device(), k -> new ArrayList<>()).add(r));
        byDevice.forEach((device, rs) -> {
          try {
            readings.ingest(lab, rs);
            written.addAndGet(rs.size());
          } catch (ApiException again) {
            dropped.addAndGet(rs.size());
            log.warn("MQTT: {} readings of lab {} device {} refused: {}", rs.size(), lab, device, again.getMessage());
          }
        });
      } catch (RuntimeException e) {
        // the database is away: put them back for the next flush (bounded by the broker's flow control)
        list.forEach(r -> queue.add(new Queued(lab, r)));
        log.warn("MQTT: writing {} readings of lab {} failed, kept for the next try: {}", list.size(), lab, e.getMessage());
      }
    });
    if (n == 20_000 && worker != null) {
      worker.execute(this::flush);
    }
  }

  /** Readings received, written and dropped since start (the benchmark reads these). */
  record Counts(long received, long written, long dropped, int queued) {}

  Counts counts() {
    return new Counts(received.get(), written.get(), dropped.get(), queue.size());
  }

  boolean connected() {
    MqttClient c = client;
    return c != null && c.isConnected();
  }

  @Override
  public void stop() {
    running = false;
    MqttClient c = client;
    try {
      if (c != null) {
        if (c.isConnected()) {
          c.disconnect(2000);
        }
        c.close(true);
      }
    } catch (MqttException e) {
      log.debug("MQTT: closing: {}", e.getMessage());
    }
    ScheduledExecutorService w = worker;
    if (w != null) {
      w.shutdown();
      try {
        w.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
    client = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
