package org.epiloop.simulator.env;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;

/**
 * A lab's sensor gateway as the simulator plays it: sets up a room with devices and limits (as
 * the lab's director would, through the admin API), holds the gateway key, and sends batches of
 * readings over HTTP. Used by {@code env-bench} and by {@code day} (--sensor-readings-per-second).
 */
public final class SensorGateway {

  public static final String ROOM = "SIM-ROOM";

  private final EpiloopClient client;
  private final String lab;
  private final List<String> devices;
  private final String key;
  private final SplittableRandom random;

  private SensorGateway(EpiloopClient client, String lab, List<String> devices, String key, long seed) {
    this.client = client;
    this.lab = lab;
    this.devices = devices;
    this.key = key;
    this.random = new SplittableRandom(seed);
  }

  /** Sets up the room, {@code deviceCount} devices (kept if they exist) and a fresh gateway key; the admin token arranges. */
  public static SensorGateway setUp(EpiloopClient client, String adminToken, String lab, int deviceCount, long seed) {
    String base = "/api/v1/labs/" + lab + "/environment";
    tolerate(client.post(base + "/rooms", adminToken, Map.of("code", ROOM, "name", "模拟房间 Simulated room")), "ROOM_EXISTS");
    List<String> devices = new ArrayList<>();
    for (int i = 1; i <= deviceCount; i++) {
      String code = String.format("SIM-%03d", i);
      devices.add(code);
      tolerate(client.post(base + "/devices", adminToken, Map.of("code", code, "name", "模拟传感器 Sensor " + i, "roomCode", ROOM,
          "silenceMinutes", 30)), "DEVICE_EXISTS");
    }
    put(client, adminToken, base + "/thresholds", Map.of("roomCode", ROOM, "measure", "TEMPERATURE", "min", 18.0, "max", 26.0, "graceSeconds", 120));
    put(client, adminToken, base + "/thresholds", Map.of("roomCode", ROOM, "measure", "HUMIDITY", "min", 30.0, "max", 70.0, "graceSeconds", 300));
    ApiResponse key = client.create(base + "/gateways", adminToken, Map.of("name", "simulator gateway " + seed));
    return new SensorGateway(client, lab, devices, key.text("key"), seed);
  }

  private static void put(EpiloopClient client, String token, String path, Map<String, Object> body) {
    // the simulator's client has no PUT: a threshold set twice is the same threshold
    ApiResponse r = client.put(path, token, body);
    if (!r.is2xx()) {
      throw new IllegalStateException("PUT " + path + ": " + r.status() + " " + r.code());
    }
  }

  private static void tolerate(ApiResponse r, String code) {
    if (!r.is2xx() && !code.equals(r.code())) {
      throw new IllegalStateException("setup failed: " + r.status() + " " + r.code() + " " + r.detail());
    }
  }

  public String lab() {
    return lab;
  }

  public List<String> devices() {
    return devices;
  }

  /** A batch of {@code size} readings stamped at {@code at}: temperature and humidity of devices in turn, near the middle of the range. */
  public List<Map<String, Object>> batch(int size, Instant at) {
    List<Map<String, Object>> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      boolean temperature = (i & 1) == 0;
      r.put("device", devices.get((i / 2) % devices.size()));
      r.put("measure", temperature ? "TEMPERATURE" : "HUMIDITY");
      r.put("at", at.plusMillis(i / (2L * devices.size())).toString());
      r.put("value", temperature ? 22 + random.nextDouble(-1.5, 1.5) : 50 + random.nextDouble(-8, 8));
      out.add(r);
    }
    return out;
  }

  /** Sends one batch; the answer (never thrown). */
  public ApiResponse send(List<Map<String, Object>> readings) {
    return client.post("/api/v1/environment/readings", null, Map.of("readings", readings), Map.of("X-Gateway-Key", key));
  }
}
