package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The day over several copies of Epiloop: three real HTTP servers (the JDK's) stand for the
 * copies and record which of them each request reached.
 */
class HttpCopiesTest {

  private final List<HttpServer> servers = new ArrayList<>();
  /** "copy index: path" per request, in arrival order. */
  private final ConcurrentLinkedQueue<String> arrivals = new ConcurrentLinkedQueue<>();
  /** Copies that answer 503 to everything. */
  private final List<Integer> down = new CopyOnWriteArrayList<>();
  private Metrics metrics;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    List<EpiloopClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int copy = i;
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/", exchange -> {
        arrivals.add(copy + ":" + exchange.getRequestURI().getPath());
        int status = down.contains(copy) ? 503 : 200;
        byte[] body = (status == 200 ? "{\"copy\":" + copy + "}" : "{\"code\":\"DATABASE_UNAVAILABLE\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      s.start();
      servers.add(s);
      clients.add(new EpiloopClient(URI.create("http://127.0.0.1:" + s.getAddress().getPort()), Duration.ofSeconds(2),
          Duration.ofSeconds(5)));
    }
    metrics = new Metrics();
    http = new Http(clients, metrics);
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void eachThreadKeepsItsCopyAndThreadsAreSpreadOverAll() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      String name = "t" + t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 3; i++) {
          assertEquals(200, http.get("GET /x", "/" + name, null).status());
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(18, arrivals.size());
    for (int t = 0; t < 6; t++) {
      String path = "/t" + t;
      List<String> copies = arrivals.stream().filter(a -> a.endsWith(":" + path)).map(a -> a.substring(0, a.indexOf(':'))).distinct()
          .toList();
      assertEquals(1, copies.size(), "thread " + t + " stayed on one copy: " + copies);
    }
    for (int copy = 0; copy < 3; copy++) {
      String prefix = copy + ":";
      assertEquals(6, arrivals.stream().filter(a -> a.startsWith(prefix)).count(), "two threads on copy " + copy);
    }
  }

  @Test
  void aRetryAfterAFailureGoesToTheNextCopy() {
    assertEquals(200, http.get("GET /x", "/first", null).status());
    int home = Integer.parseInt(arrivals.poll().split(":")[0]);
    down.add(home);
    ApiResponse r = http.post("POST /scan", "/scan", null, Map.of("a", 1), Map.of("Idempotency-Key", "k1"));
    assertEquals(200, r.status());
    assertEquals(List.of(home + ":/scan", (home + 1) % 3 + ":/scan"), List.copyOf(arrivals));
    assertEquals(1L, metrics.counters().get("cluster: attempts after a failure sent to another copy"));
    assertTrue(r.body().path("copy").asInt() == (home + 1) % 3);
  }

  @Test
  void aScanSentAgainOnPurposeGoesToAnotherCopy() {
    assertEquals(200, http.get("GET /x", "/first", null).status());
    assertEquals(200, http.other().get("GET /x", "/again", null).status());
    List<String> a = List.copyOf(arrivals);
    int home = Integer.parseInt(a.get(0).split(":")[0]);
    assertEquals((home + 1) % 3 + ":/again", a.get(1));
    assertEquals(3, http.copies());
  }

  @Test
  void urlsRepeatOrSplitOnCommas() {
    DayOptions o = new DayOptions();
    new CommandLine(o).parseArgs("--url", "http://a:1", "--url", "http://b:2,http://c:3", "--admin-password", "x");
    assertEquals(List.of("http://a:1", "http://b:2", "http://c:3"), o.urls());
    assertEquals("http://a:1", o.url);
    assertTrue(o.problems().isEmpty(), o.problems().toString());

    DayOptions one = new DayOptions();
    new CommandLine(one).parseArgs("--admin-password", "x");
    assertEquals(List.of("http://localhost:8080"), one.urls());

    DayOptions twice = new DayOptions();
    new CommandLine(twice).parseArgs("--url", "http://a:1", "--url", "http://a:1", "--admin-password", "x");
    assertTrue(twice.problems().contains("--url: the same URL twice"), twice.problems().toString());
  }
}
