package org.epiloop.simulator.env;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.epiloop.simulator.ServerOptions;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code env-bench}: environment readings ingested per second, through gateway HTTP batches and
 * through MQTT. HTTP: closed-loop clients, each a gateway with its own key, POST batches for a
 * measured window, several rounds; the figure is accepted readings per second (median of the
 * rounds). MQTT: the command runs a Moquette broker in-process on --mqtt-port (start the server
 * with epiloop.environment.mqtt.enabled=true and uri tcp://127.0.0.1:PORT), publishes readings
 * as gateways do and times until the server's per-minute counts hold every one.
 */
@Command(name = "env-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmarks environment readings ingest: HTTP batches (X-Gateway-Key) and, with --mqtt-port, MQTT.")
public final class EnvBenchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Mixin
  ServerOptions server;

  @Option(names = "--lab", description = "Lab whose gateways send (default: the first lab)")
  String lab;

  @Option(names = "--devices", defaultValue = "100", description = "Devices (each sends temperature and humidity) (default: ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--batch", defaultValue = "500", description = "Readings per HTTP batch (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--clients", defaultValue = "4", description = "Concurrent gateways, one key each (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--duration", defaultValue = "15", description = "Measured seconds per round (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--warmup", defaultValue = "5",
      description = "Seconds of HTTP batches before the measured rounds, not reported: the server's JIT (on a busy machine it needs longer) (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the report gives each and the median (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--mqtt-port", description = "Run a broker on this port and benchmark MQTT too (the server must subscribe to it)")
  Integer mqttPort;

  @Option(names = "--mqtt-readings", defaultValue = "100000", description = "Readings published per MQTT round (default: ${DEFAULT-VALUE})")
  int mqttReadings;

  @Option(names = "--mqtt-per-message", defaultValue = "10", description = "Readings per MQTT message (default: ${DEFAULT-VALUE})")
  int perMessage;

  @Override
  public Integer call() throws Exception {
    EpiloopClient client = new EpiloopClient(URI.create(server.url.replaceAll("/+$", "")), Duration.ofSeconds(5), Duration.ofSeconds(60));
    String admin = client.login("admin", server.adminPassword);
    if (lab == null) {
      ApiResponse labs = client.get("/api/v1/labs", admin);
      lab = labs.body().get(0).path("code").asText();
    }
    List<SensorGateway> gateways = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      gateways.add(SensorGateway.setUp(client, admin, lab, devices, 1000 + i));
    }
    System.out.printf("env-bench: lab %s, %d devices, %d gateways, batches of %d, %d s x %d rounds%n", lab, devices, clients, batch, duration, rounds);
    // warm-up: the JIT and the connection pool
    runHttp(gateways, warmup);
    double[] perSecond = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      perSecond[r] = runHttp(gateways, duration);
      System.out.printf("HTTP round %d: %.0f readings/s%n", r + 1, perSecond[r]);
    }
    double[] sorted = perSecond.clone();
    Arrays.sort(sorted);
    System.out.printf("HTTP median: %.0f readings/s (batches of %d, %d gateways)%n", sorted[sorted.length / 2], batch, clients);
    if (mqttPort != null) {
      mqtt(client, admin, gateways.get(0));
    }
    return 0;
  }

  /** Readings accepted per second over the window. */
  private double runHttp(List<SensorGateway> gateways, int seconds) throws Exception {
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(gateways.size());
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (SensorGateway g : gateways) {
      running.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          ApiResponse r = g.send(g.batch(batch, Instant.now()));
          if (r.is2xx()) {
            accepted.addAndGet(r.body().path("accepted").asLong());
          } else {
            failed.incrementAndGet();
            if (failed.get() <= 3) {
              System.err.println("batch refused: " + r.status() + " " + r.code() + " " + r.detail());
            }
          }
        }
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    double took = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      System.out.printf("  (%d batches refused)%n", failed.get());
    }
    return accepted.get() / took;
  }

  private void mqtt(EpiloopClient client, String admin, SensorGateway g) throws Exception {
    Properties p = new Properties();
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, String.valueOf(mqttPort));
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    Server broker = new Server();
    broker.startServer(new MemoryConfig(p));
    try {
      System.out.println("MQTT: broker on 127.0.0.1:" + mqttPort + "; waiting for the server to subscribe (it retries every 5 s)");
      Thread.sleep(12_000);
      MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + mqttPort, "env-bench-" + System.nanoTime(), new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMaxInflight(10_000);
      publisher.connect(o);
      double[] rates = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long before = stored(client, admin, g);
        long start = System.nanoTime();
        int sent = 0;
        Instant at = Instant.now();
        while (sent < mqttReadings) {
          String device = g.devices().get((sent / perMessage) % g.devices().size());
          List<Map<String, Object>> readings = new ArrayList<>();
          for (int i = 0; i < perMessage; i++) {
            readings.add(Map.of("measure", "TEMPERATURE", "at", at.plusMillis(sent + i).toString(), "value", 22.0 + (i % 10) / 10.0));
          }
          publisher.publish("epiloop/labs/" + g.lab() + "/devices/" + device + "/readings",
              JSON.writeValueAsString(readings).getBytes(StandardCharsets.UTF_8), 1, false);
          sent += perMessage;
        }
        long target = before + sent;
        long now = before;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (now < target && System.nanoTime() < deadline) {
          Thread.sleep(200);
          now = stored(client, admin, g);
        }
        double took = (System.nanoTime() - start) / 1e9;
        rates[r] = (now - before) / took;
        System.out.printf("MQTT round %d: %d of %d readings stored in %.1f s: %.0f readings/s%n", r + 1, now - before, sent, took, rates[r]);
      }
      Arrays.sort(rates);
      System.out.printf("MQTT median: %.0f readings/s (QoS 1, %d readings a message)%n", rates[rates.length / 2], perMessage);
      publisher.disconnect();
      publisher.close();
    } finally {
      broker.stopServer();
    }
  }

  /** Temperature readings the server holds for the gateway's devices over the last 2 hours (per-minute counts). */
  private static long stored(EpiloopClient client, String admin, SensorGateway g) {
    long n = 0;
    for (String d : g.devices()) {
      ApiResponse r = client.get("/api/v1/labs/" + g.lab() + "/environment/devices/" + d + "/chart?measure=TEMPERATURE&hours=2", admin);
      for (var point : r.body().path("points")) {
        n += point.path("n").asLong();
      }
    }
    return n;
  }
}
