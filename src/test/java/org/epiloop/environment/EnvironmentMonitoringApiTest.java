package org.epiloop.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.epiloop.shared.RateLimits;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * L6: readings reach Epiloop through a real MQTT broker (Moquette, in-process) and through the
 * gateways' HTTP batches; an excursion past its grace period raises an alert with start, peak
 * and end that closes when the room is back in range; a silent sensor raises one too.
 */
class EnvironmentMonitoringApiTest extends IntegrationTest {

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  @Autowired Readings readings;
  @Autowired LabEnvironment environment;
  @Autowired RateLimits rateLimits;

  /** A lab with a fridge (2–8 °C, 60 s grace) and a room sensor that must report every 5 minutes. */
  record Lab(String code, Api director) {}

  private Lab lab() {
    Corner c = corner();
    Api director = staff("LAB_DIRECTOR", null, c.lab());
    String base = "/api/v1/labs/" + c.lab() + "/environment";
    ok(director.post(base + "/rooms", Api.obj("code", "PCR-1", "name", "扩增区 Amplification")), 201);
    ok(director.post(base + "/devices", Api.obj("code", "FRIDGE-1", "name", "试剂冰箱 Reagent fridge", "roomCode", "PCR-1", "silenceMinutes", 60)), 201);
    ok(director.post(base + "/devices", Api.obj("code", "ROOM-1", "name", "房间传感器 Room sensor", "roomCode", "PCR-1", "silenceMinutes", 5)), 201);
    ok(director.put(base + "/thresholds", Api.obj("roomCode", "PCR-1", "deviceCode", "FRIDGE-1", "measure", "TEMPERATURE",
        "min", 2.0, "max", 8.0, "graceSeconds", 60)), 200);
    // the room's own limit applies to its other devices
    ok(director.put(base + "/thresholds", Api.obj("roomCode", "PCR-1", "measure", "TEMPERATURE", "min", 18.0, "max", 26.0, "graceSeconds", 120)), 200);
    return new Lab(c.lab(), director);
  }

  @Test
  void mqttReadingsRaiseAndCloseExcursionsAndSilentSensors() throws Exception {
    int port = freePort();
    Properties p = new Properties();
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, String.valueOf(port));
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, "0");
    // the broker tells when Epiloop's subscription is in place: a reading published before it would be lost
    java.util.concurrent.atomic.AtomicBoolean subscribed = new java.util.concurrent.atomic.AtomicBoolean();
    String topicFilter = "epiloop/labs/+/devices/+/readings";
    AbstractInterceptHandler subscriptions = new AbstractInterceptHandler() {
      @Override
      public String getID() {
        return "subscriptions";
      }

      @Override
      public void onSubscribe(InterceptSubscribeMessage message) {
        if (topicFilter.equals(message.getTopicFilter())) {
          subscribed.set(true);
        }
      }

      @Override
      public void onSessionLoopError(Throwable error) {}
    };
    Server broker = new Server();
    broker.startServer(new MemoryConfig(p), List.of(subscriptions));
    String uri = "tcp://127.0.0.1:" + port;
    MqttReadings subscriber = new MqttReadings(new EnvironmentProperties.Mqtt(true, uri, unique("epiloop"), "", "",
        topicFilter, 1, Duration.ofMillis(100), 2000), readings);
    MqttClient gateway = new MqttClient(uri, unique("gateway"), new MemoryPersistence());
    try {
      subscriber.start();
      awaitTrue(subscriber::connected, "the subscriber connects");
      awaitTrue(subscribed::get, "the subscriber's subscription reaches the broker");
      gateway.connect(new MqttConnectOptions());
      scenario((lab, message) -> {
        try {
          gateway.publish("epiloop/labs/" + lab + "/devices/" + message.get("device") + "/readings",
              JSON.writeValueAsString(Map.of("measure", message.get("measure"), "at", message.get("at"), "value", message.get("value")))
                  .getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // an unreadable message is dropped and counted, nothing else happens
      gateway.publish("epiloop/labs/x/devices/y/readings", "not json".getBytes(StandardCharsets.UTF_8), 1, false);
      awaitTrue(() -> subscriber.counts().dropped() >= 1, "the unreadable message is dropped");
    } finally {
      gateway.disconnect();
      gateway.close();
      subscriber.stop();
      broker.stopServer();
    }
  }

  @Test
  void httpBatchesRaiseAndCloseExcursionsAndSilentSensors() {
    scenario((lab, reading) -> ok(api().post("/api/v1/environment/readings", Map.of("readings", List.of(reading)),
        Map.of("X-Gateway-Key", gatewayKey(lab))), 200));
  }

  @Test
  void gatewaysAreCheckedAndBatchesValidatedAsAWhole() {
    Lab lab = lab();
    Lab other = lab();
    String key = ok(lab.director().post("/api/v1/labs/" + lab.code() + "/environment/gateways", Api.obj("name", "网关 Gateway 1")), 201)
        .str("key");
    String at = clock.instant().toString();
    Map<String, Object> good = Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", at, "value", 4.5);
    String path = "/api/v1/environment/readings";
    assertThat(api().post(path, Map.of("readings", List.of(good))).code()).isEqualTo("HEADER_REQUIRED");
    assertThat(api().post(path, Map.of("readings", List.of(good)), Map.of("X-Gateway-Key", key + "x")).status()).isEqualTo(401);
    assertThat(api().post(path, Map.of("readings", List.of(good)), Map.of("X-Gateway-Key", "gw_nonsense")).status()).isEqualTo(401);
    // a device of another lab is not this gateway's: the whole batch is refused, naming the reading
    Map<String, Object> foreign = Api.obj("device", "NOPE-9", "measure", "TEMPERATURE", "at", at, "value", 4.5);
    Api.Res refused = api().post(path, Map.of("readings", List.of(good, foreign)), Map.of("X-Gateway-Key", key));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.code()).isEqualTo("UNKNOWN_DEVICE");
    assertThat(refused.json().path("field").asString()).isEqualTo("readings[1].device");
    assertThat(jdbc.sql("select count(*) from env_readings r join env_devices d on d.id = r.device_id where d.lab_code = ?")
        .param(lab.code()).query(Integer.class).single()).isZero();
    Map<String, Object> future = Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", clock.instant().plus(Duration.ofHours(1)).toString(), "value", 4.5);
    assertThat(api().post(path, Map.of("readings", List.of(future)), Map.of("X-Gateway-Key", key)).code()).isEqualTo("READING_OUT_OF_TIME");
    assertThat(api().post(path, Map.of("readings", List.of(Api.obj("device", "FRIDGE-1", "measure", "NOISE", "at", at, "value", 1))),
        Map.of("X-Gateway-Key", key)).code()).isEqualTo("UNKNOWN_MEASURE");
    // a batch of 500 is taken whole; the chart reads per-minute means
    List<Map<String, Object>> batch = new ArrayList<>();
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    for (int i = 0; i < 500; i++) {
      batch.add(Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", start.plusSeconds(i).toString(), "value", i < 60 ? 4.0 : 5.0));
    }
    assertThat(ok(api().post(path, Map.of("readings", batch), Map.of("X-Gateway-Key", key)), 200).json().path("accepted").asInt()).isEqualTo(500);
    JsonNode chart = ok(lab.director().get("/api/v1/labs/" + lab.code() + "/environment/devices/FRIDGE-1/chart?measure=TEMPERATURE&hours=1"), 200).json();
    assertThat(chart.path("points").size()).isEqualTo(9); // 500 seconds: 8 full minutes and 20 seconds
    assertThat(chart.path("points").get(0).path("mean").asDouble()).isEqualTo(4.0);
    assertThat(chart.path("points").get(0).path("n").asInt()).isEqualTo(60);
    assertThat(chart.path("points").get(8).path("n").asInt()).isEqualTo(20);
    assertThat(chart.path("max").asDouble()).isEqualTo(8.0);
    // a revoked key is refused; a director of another lab cannot issue keys here
    String id = key.substring(3, key.indexOf('.'));
    ok(lab.director().delete("/api/v1/labs/" + lab.code() + "/environment/gateways/" + id), 204);
    assertThat(api().post(path, Map.of("readings", List.of(good)), Map.of("X-Gateway-Key", key)).status()).isEqualTo(401);
    assertThat(other.director().post("/api/v1/labs/" + lab.code() + "/environment/gateways", Api.obj("name", "x")).code()).isEqualTo("OUT_OF_SCOPE");
  }

  /**
   * A batch is one transaction: sent twice it is stored twice but raises its excursion once (the
   * channel's state has moved past its readings); refused as a whole (a reading of an unknown
   * device after one that brings the fridge back in range) it leaves no reading, no closed
   * incident and no resolved alert — yet its rate-limit hit counts, as every batch's does.
   */
  @Test
  void aBatchIsOneTransactionAResentBatchRaisesNothingTwiceAndARefusedOneStillCounts() {
    Lab lab = lab();
    String key = ok(lab.director().post("/api/v1/labs/" + lab.code() + "/environment/gateways", Api.obj("name", "网关 Gateway")), 201)
        .str("key");
    String path = "/api/v1/environment/readings";
    Map<String, String> header = Map.of("X-Gateway-Key", key);
    // a second into a fresh minute: the gateway's three batches fall in one rate-limit window (a minute long)
    Instant now = clock.instant();
    clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(61)));
    Instant t0 = clock.instant().minus(Duration.ofMinutes(4)).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> batch = Map.of("readings", List.of(fridge(t0, 9.5), fridge(t0.plusSeconds(90), 10.4)));
    assertThat(ok(api().post(path, batch, header), 200).json().path("excursionsRaised").asInt()).isEqualTo(1);
    JsonNode again = ok(api().post(path, batch, header), 200).json();
    assertThat(again.path("accepted").asInt()).isEqualTo(2);
    assertThat(again.path("excursionsRaised").asInt()).isZero();
    List<JsonNode> open = excursions(lab);
    assertThat(open).hasSize(1);
    String subject = lab.code() + "/FRIDGE-1/TEMPERATURE#" + open.get(0).path("id").asLong();
    assertThat(jdbc.sql("select count(*) from alerts where kind = 'ENV_EXCURSION' and subject like ?").param(lab.code() + "/%")
        .query(Integer.class).single()).isEqualTo(1);

    Api.Res refused = api().post(path, Map.of("readings", List.of(fridge(t0.plusSeconds(150), 5.0),
        Api.obj("device", "NOPE-9", "measure", "TEMPERATURE", "at", t0.plusSeconds(150).toString(), "value", 5.0))), header);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().path("field").asString()).isEqualTo("readings[1].device");
    assertThat(excursions(lab)).hasSize(1);
    assertThat(jdbc.sql("select state from alerts where kind = 'ENV_EXCURSION' and subject = ?").param(subject).query(String.class).single())
        .isEqualTo("OPEN");
    assertThat(jdbc.sql("""
            select count(*) from env_readings r join env_devices d on d.id = r.device_id where d.lab_code = ? and r.at = ?""")
        .params(lab.code(), t0.plusSeconds(150).atOffset(java.time.ZoneOffset.UTC)).query(Integer.class).single()).isZero();
    assertThat(jdbc.sql("select count(*) from env_readings r join env_devices d on d.id = r.device_id where d.lab_code = ?")
        .param(lab.code()).query(Integer.class).single()).as("the batch twice, the refused one not at all").isEqualTo(4);
    // the refused batch counted against the gateway like the two taken
    String gateway = key.substring(3, key.indexOf('.'));
    assertThat(rateLimits.peek(new RateLimits.Limit("env-gateway-batches", 1200, Duration.ofMinutes(1)), gateway).hits()).isEqualTo(3);

    // the same reading without the stranger closes the excursion
    assertThat(ok(api().post(path, Map.of("readings", List.of(fridge(t0.plusSeconds(150), 5.0))), header), 200).json()
        .path("excursionsClosed").asInt()).isEqualTo(1);
    assertThat(jdbc.sql("select state from alerts where kind = 'ENV_EXCURSION' and subject = ?").param(subject).query(String.class).single())
        .isEqualTo("RESOLVED");
  }

  private List<JsonNode> excursions(Lab lab) {
    return incidents(lab, "openIncidents").stream().filter(i -> i.path("kind").asString().equals("EXCURSION")).toList();
  }

  private static Map<String, Object> fridge(Instant at, double value) {
    return Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", at.toString(), "value", value);
  }

  private final Map<String, String> keys = new java.util.HashMap<>();

  private String gatewayKey(String lab) {
    return keys.computeIfAbsent(lab, l -> ok(admin().post("/api/v1/labs/" + l + "/environment/gateways", Api.obj("name", "gateway")), 201).str("key"));
  }

  /** Sends readings one by one through {@code send(lab, reading)} and follows the incidents and alerts they make. */
  private void scenario(BiConsumer<String, Map<String, Object>> send) {
    Lab lab = lab();
    // whole seconds: PostgreSQL keeps microseconds, the clock has nanoseconds
    Instant t0 = clock.instant().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    BiConsumer<Integer, Double> fridge = (seconds, value) -> send.accept(lab.code(),
        Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", t0.plusSeconds(seconds).toString(), "value", value));
    fridge.accept(0, 5.0);
    fridge.accept(30, 9.5);
    fridge.accept(60, 10.2);
    // out of range for 30 s only: within the 60 s grace, nothing yet
    awaitTrue(() -> current(lab, "FRIDGE-1") == 10.2, "the fridge reading arrives");
    assertThat(incidents(lab, "openIncidents")).isEmpty();
    fridge.accept(100, 9.8);
    JsonNode open = await(() -> first(incidents(lab, "openIncidents")), "the excursion is raised");
    assertThat(open.path("kind").asString()).isEqualTo("EXCURSION");
    assertThat(open.path("deviceCode").asString()).isEqualTo("FRIDGE-1");
    assertThat(Instant.parse(open.path("startedAt").asString())).isEqualTo(t0.plusSeconds(30));
    assertThat(open.path("peak").asDouble()).isEqualTo(10.2);
    assertThat(open.path("limit").asDouble()).isEqualTo(8.0);
    String subject = lab.code() + "/FRIDGE-1/TEMPERATURE#" + open.path("id").asLong();
    Api official = staff("OFFICIAL", null, null);
    assertThat(ok(official.get("/api/v1/dashboard/alerts"), 200).json().valueStream()
        .anyMatch(a -> a.path("kind").asString().equals("ENV_EXCURSION") && a.path("subject").asString().equals(subject))).isTrue();
    fridge.accept(130, 6.0);
    JsonNode closed = await(() -> first(incidents(lab, "recentIncidents")), "the excursion closes");
    assertThat(Instant.parse(closed.path("endedAt").asString())).isEqualTo(t0.plusSeconds(130));
    assertThat(closed.path("peak").asDouble()).isEqualTo(10.2);
    assertThat(jdbc.sql("select state from alerts where kind = 'ENV_EXCURSION' and subject = ?").param(subject).query(String.class).single())
        .isEqualTo("RESOLVED");
    // the room sensor never reported: after its 5 minutes it is silent
    clock.advance(Duration.ofMinutes(6));
    environment.checkSilence();
    JsonNode silent = await(() -> incidents(lab, "openIncidents").stream().filter(i -> i.path("kind").asString().equals("SILENT")).findFirst().orElse(null),
        "the silent sensor is an incident");
    assertThat(silent.path("deviceCode").asString()).isEqualTo("ROOM-1");
    String silentSubject = lab.code() + "/ROOM-1#" + silent.path("id").asLong();
    assertThat(jdbc.sql("select state from alerts where kind = 'SENSOR_SILENT' and subject = ?").param(silentSubject).query(String.class).single())
        .isEqualTo("OPEN");
    // it speaks again (21 °C, in the room's range): closed
    send.accept(lab.code(), Api.obj("device", "ROOM-1", "measure", "TEMPERATURE", "at", clock.instant().toString(), "value", 21.0));
    await(() -> incidents(lab, "openIncidents").isEmpty() ? "closed" : null, "the silent sensor closes");
    assertThat(jdbc.sql("select state from alerts where kind = 'SENSOR_SILENT' and subject = ?").param(silentSubject).query(String.class).single())
        .isEqualTo("RESOLVED");
  }

  private double current(Lab lab, String device) {
    return overview(lab).path("current").valueStream().filter(c -> c.path("deviceCode").asString().equals(device))
        .mapToDouble(c -> c.path("value").asDouble()).findFirst().orElse(Double.NaN);
  }

  private List<JsonNode> incidents(Lab lab, String which) {
    return overview(lab).path(which).valueStream().toList();
  }

  private JsonNode overview(Lab lab) {
    return ok(lab.director().get("/api/v1/labs/" + lab.code() + "/environment"), 200).json();
  }

  private static JsonNode first(List<JsonNode> list) {
    return list.isEmpty() ? null : list.get(0);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    await(() -> condition.getAsBoolean() ? Boolean.TRUE : null, what);
  }

  private static <T> T await(java.util.function.Supplier<T> value, String what) {
    return org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(value::get, v -> v != null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
