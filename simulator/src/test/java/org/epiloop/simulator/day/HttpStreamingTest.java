package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.epiloop.simulator.api.EpiloopClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streaming GET over real HTTP (the JDK's little server): timed, counted and retried like other requests. */
class HttpStreamingTest {

  private record Answer(int status, String contentType, String body) {}

  private final Deque<Answer> answers = new ArrayDeque<>();
  private HttpServer server;
  private Http http;
  private Metrics metrics;
  private int requests;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Answer a;
      synchronized (answers) {
        requests++;
        a = answers.isEmpty() ? new Answer(500, "text/plain", "no answer left") : answers.poll();
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", a.contentType());
      exchange.sendResponseHeaders(a.status(), 0); // chunked, like a large streamed answer
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    metrics = new Metrics();
    http = new Http(new EpiloopClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(2),
        Duration.ofSeconds(5)), metrics);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** Counts the objects in a JSON array, token by token. */
  private static final EpiloopClient.BodyReader<Integer> COUNT = p -> {
    int n = 0;
    if (p.nextToken() != JsonToken.START_ARRAY) {
      return -1;
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      p.skipChildren();
      n++;
    }
    return n;
  };

  @Test
  void a503IsRetriedAndTheBodyOfTheAnswerThatCameIsStreamed() {
    answers.add(new Answer(503, "application/problem+json", "{\"code\":\"UNAVAILABLE\",\"detail\":\"busy\"}"));
    answers.add(new Answer(200, "application/json", "[{\"a\":1},{\"b\":[1,2]},{}]"));
    EpiloopClient.Streamed<Integer> r = http.getStreaming("GET /things", "/api/v1/things", "token", COUNT);
    assertEquals(200, r.response().status());
    assertEquals(3, r.value());
    assertEquals(2, requests);
    assertEquals(1, metrics.counter("http retries after transport failure, 5xx or 429"));
    assertEquals(2, metrics.latencies().get("GET /things").getTotalCount(), "both answers timed under the endpoint");
    assertTrue(metrics.errors().stream().anyMatch(e -> e.key().equals("503 UNAVAILABLE")), metrics.errors().toString());
  }

  @Test
  void aProblemAnswerIsParsedAndNotRetried() {
    answers.add(new Answer(404, "application/problem+json", "{\"code\":\"CASE_NOT_FOUND\",\"detail\":\"no such case\"}"));
    EpiloopClient.Streamed<Integer> r = http.getStreaming("GET /things", "/api/v1/things", "token", COUNT);
    assertEquals(404, r.response().status());
    assertEquals("CASE_NOT_FOUND", r.response().code());
    assertEquals("no such case", r.response().detail());
    assertNull(r.value());
    assertEquals(1, requests);
  }

  @Test
  void aBodyThatIsNotJsonComesBackAsInvalidJson() {
    answers.add(new Answer(200, "application/json", "[{\"a\":1},{oops"));
    EpiloopClient.Streamed<Integer> r = http.getStreaming("GET /things", "/api/v1/things", "token", COUNT);
    assertEquals(200, r.response().status());
    assertEquals("INVALID_JSON", r.response().code());
    assertNull(r.value());
  }

  @Test
  void aTracingListIsComparedAsItStreamsIn() {
    java.time.Instant t0 = java.time.Instant.parse("2022-04-01T02:00:00.123456Z");
    ContactRules.Contact close = new ContactRules.Contact("p1", ContactRules.CLOSE, "V1", t0);
    answers.add(new Answer(200, "application/json",
        "[{\"personId\":\"p1\",\"level\":\"CLOSE\",\"venueCode\":\"V1\",\"at\":\"2022-04-01T10:00:00.123456+08:00\"}]"));
    EpiloopClient.Streamed<CaseTracing.ContactList> r = http.getStreaming("GET /cases/{id}/contacts", "/api/v1/cases/c/contacts", "t",
        p -> CaseTracing.readContacts(p, new ContactCheck("c", 0, java.util.List.of(close), id -> id)));
    ContactCheck k = r.value().check();
    assertNull(r.value().notAnArray());
    assertEquals(1, k.lines());
    assertEquals(0, k.missingTotal() + k.unexpectedTotal() + k.exposureDiffers());
    assertTrue(k.problems().isEmpty(), k.problems().summary());
  }
}
