package org.epiloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.EpiloopApplication;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A data directory used by the demo city, started again for production (demo off, the HTTP
 * SMS gateway to a provider stubbed in-process): demo logins stop working, the development
 * outbox (login codes) is emptied, the log says which gateway runs; login codes go through the
 * provider with signatures, retries and receipts, and are limited per address and overall.
 * A production start without a gateway is refused.
 */
// Runs after LogPrivacyTest: starting a second application reconfigures logging for the
// whole JVM, which would detach the shared context's log file that LogPrivacyTest reads.
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class ProductionStartTest {

  private static final String KEY_ID = "epiloop-test";
  private static final String SECRET = "provider-shared-secret-0123456789";
  private static final String ADMIN_PASSWORD = "production-admin-pw";
  private static final Pattern CODE = Pattern.compile("(\\d{6})");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Path dataDir;
  private static Path log;
  private static Provider provider;
  private static ConfigurableApplicationContext app;
  private static MutableClock clock;

  @BeforeAll
  static void startTheDemoCityThenProduction() throws Exception {
    dataDir = Files.createTempDirectory("epiloop-production-");
    // first the demo city: development gateway by default, demo logins work, a code in the outbox
    String demoPhone = Ids.phone();
    try (ConfigurableApplicationContext demo = new SpringApplicationBuilder(EpiloopApplication.class).run("--server.port=0",
        "--epiloop.data-dir=" + dataDir, "--epiloop.demo=true", "--epiloop.admin-password=" + ADMIN_PASSWORD,
        "--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET,
        "--logging.level.root=WARN")) {
      Api api = api(demo);
      assertThat(api.post("/api/v1/auth/token", Api.obj("username", "collector1", "password", "epiloop-demo")).status()).isEqualTo(200);
      assertThat(api.post("/api/v1/resident/otp", Api.obj("phone", demoPhone)).status()).isEqualTo(202);
      assertThat(demo.getBean(JdbcClient.class).sql("select count(*) from sms_outbox").query(Integer.class).single()).isEqualTo(1);
    }

    provider = new Provider();
    log = dataDir.resolve("production.log");
    app = new SpringApplicationBuilder(EpiloopApplication.class, IntegrationTest.TestClockConfig.class).run("--server.port=0",
        "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false", "--logging.file.name=" + log,
        "--epiloop.sms.gateway=http", "--epiloop.sms.http.url=" + provider.url(), "--epiloop.sms.http.key-id=" + KEY_ID,
        "--epiloop.sms.http.secret=" + SECRET, "--epiloop.sms.http.timeout=500ms", "--epiloop.sms.http.backoff=10ms",
        "--epiloop.sms.otp-per-address-per-minute=3", "--epiloop.sms.otp-per-minute=8", "--epiloop.trusted-proxies=127.0.0.1,::1");
    clock = app.getBean(MutableClock.class);
    provider.receiptsTo = api(app).base() + "/api/v1/sms/receipts";
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (provider != null) {
      provider.server.stop(0);
    }
  }

  @BeforeEach
  void freshMinute() {
    // every limit here counts per minute: each test starts in a window of its own
    clock.advance(Duration.ofMinutes(2));
  }

  @Test
  void demoLoginsStopWorkingAndTheLogSaysSo() throws IOException {
    Api.Res login = api(app).post("/api/v1/auth/token", Api.obj("username", "collector1", "password", "epiloop-demo"));
    assertThat(login.status()).isEqualTo(401);
    assertThat(jdbc().sql("select count(*) from staff_users where username = 'official1' and not enabled").query(Integer.class).single())
        .isEqualTo(1);
    assertThat(Files.readString(log)).contains("EPILOOP_DEMO=false: disabled the demo city's staff logins").contains("collector1");
    assertThat(api(app).post("/api/v1/auth/token", adminCredentials()).status()).isEqualTo(200);
  }

  @Test
  void theDevelopmentOutboxIsEmptiedAndClosedAndTheLogNamesTheGateway() throws IOException {
    assertThat(jdbc().sql("select count(*) from sms_outbox").query(Integer.class).single()).isZero();
    Api.Res outbox = admin().get("/api/v1/admin/sms-outbox?phone=" + Ids.phone());
    assertThat(outbox.status()).isEqualTo(404);
    assertThat(outbox.code()).isEqualTo("NO_SMS_OUTBOX");
    assertThat(Files.readString(log)).contains("SMS gateway: HTTP provider at " + provider.url())
        .contains("Deleted 1 messages of the development SMS outbox").doesNotContain(SECRET);
  }

  @Test
  void aLoginCodeGoesThroughTheProviderSignedRetriedOnceAndReceipted() {
    String phone = Ids.phone();
    assertThat(otp(phone, "198.51.100.1").status()).isEqualTo(202);

    List<Provider.Request> tries = provider.requestsTo(phone);
    assertThat(tries).hasSize(2);
    assertThat(tries).extracting(Provider.Request::status).containsExactly(503, 200);
    assertThat(tries).allSatisfy(t -> {
      assertThat(t.signed()).as("HMAC over timestamp and body").isTrue();
      assertThat(t.keyId()).isEqualTo(KEY_ID);
      assertThat(t.idempotencyKey()).isEqualTo(t.messageId());
    });
    assertThat(tries.get(1).messageId()).as("a retry carries the same message id").isEqualTo(tries.get(0).messageId());
    await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(tries.get(0).messageId())));
    assertThat(jdbc().sql("select attempts from sms_messages where message_id = ?::uuid").param(tries.get(0).messageId())
        .query(Integer.class).single()).isEqualTo(2);

    // the code the provider got logs the resident in
    Matcher code = CODE.matcher(tries.get(1).text());
    assertThat(code.find()).isTrue();
    assertThat(api(app).post("/api/v1/resident/session", Api.obj("phone", phone, "code", code.group(1))).status()).isEqualTo(200);
  }

  @Test
  void aTimeoutIsRetriedWithTheSameMessageId() {
    String phone = Ids.phone();
    provider.behaviour.put("+86" + phone, Provider.Behaviour.SLOW_FIRST);
    assertThat(otp(phone, "198.51.100.2").status()).isEqualTo(202);
    List<Provider.Request> tries = provider.requestsTo(phone);
    assertThat(tries).hasSize(2);
    assertThat(tries.get(1).messageId()).isEqualTo(tries.get(0).messageId());
  }

  @Test
  void aRefusalIsNotRetriedAndFailsLoudly() {
    String phone = Ids.phone();
    provider.behaviour.put("+86" + phone, Provider.Behaviour.REFUSE);
    Api.Res sent = otp(phone, "198.51.100.3");
    assertThat(sent.status()).isEqualTo(502);
    assertThat(sent.code()).isEqualTo("SMS_REJECTED");
    assertThat(provider.requestsTo(phone)).hasSize(1);
    // the code that did not go out was rolled back with the failure: asking again is not
    // held up by the once-a-minute rule, and is refused by the provider again
    assertThat(otp(phone, "198.51.100.3").code()).isEqualTo("SMS_REJECTED");
    assertThat(provider.requestsTo(phone)).hasSize(2);
  }

  @Test
  void receiptsMustBeSignedAndFresh() {
    String phone = Ids.phone();
    otp(phone, "198.51.100.4");
    String id = provider.requestsTo(phone).get(0).messageId();
    String body = "{\"messageId\":\"" + id + "\",\"status\":\"FAILED\"}";
    long now = clock.instant().getEpochSecond();
    assertThat(receipt(body, KEY_ID, now, sign(now, body.replace("FAILED", "DELIVERED"))).statusCode()).as("signature of another body")
        .isEqualTo(401);
    assertThat(receipt(body, "someone-else", now, sign(now, body)).statusCode()).isEqualTo(401);
    assertThat(receipt(body, KEY_ID, now - 3600, sign(now - 3600, body)).statusCode()).as("an old receipt replayed").isEqualTo(401);
    assertThat(receipt("{\"messageId\":\"" + id + "\",\"status\":\"LOST\"}", KEY_ID, now,
        sign(now, "{\"messageId\":\"" + id + "\",\"status\":\"LOST\"}")).statusCode()).as("unknown status").isEqualTo(400);
    await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
    assertThat(receipt(body, KEY_ID, now, sign(now, body)).statusCode()).isEqualTo(204);
    assertThat(status(id)).isEqualTo("FAILED");
  }

  @Test
  void loginCodesAreLimitedPerClientAddress() {
    String address = "203.0.113.10";
    for (int i = 0; i < 3; i++) {
      assertThat(otp(Ids.phone(), address).status()).isEqualTo(202);
    }
    Api.Res limited = otp(Ids.phone(), address);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.code()).isEqualTo("OTP_RATE_LIMITED");
    assertThat(limited.header("Retry-After")).isNotNull();
    assertThat(otp(Ids.phone(), "forged-by-the-client, " + address).status()).as("a forged hop does not make a new client")
        .isEqualTo(429);
    assertThat(otp(Ids.phone(), "203.0.113.11").status()).isEqualTo(202);
  }

  @Test
  void loginCodesAreLimitedForEveryoneTogether() {
    Api.Res last = null;
    int sent = 0;
    for (int i = 0; i < 9; i++) {
      last = otp(Ids.phone(), "192.0.2." + (i + 1));
      if (last.status() == 202) {
        sent++;
      }
    }
    assertThat(sent).isEqualTo(8);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.text()).contains("right now");
    assertThat(last.header("Retry-After")).isNotNull();
  }

  @Test
  void aProductionStartWithoutAGatewayIsRefused() throws IOException {
    Path dir = Files.createTempDirectory("epiloop-no-sms-");
    assertThatThrownBy(() -> new SpringApplicationBuilder(EpiloopApplication.class).run("--server.port=0", "--epiloop.data-dir=" + dir,
        "--epiloop.demo=false", "--logging.level.root=OFF"))
        .satisfies(e -> assertThat(rootCause(e).getMessage()).contains("No SMS gateway is configured")
            .contains("EPILOOP_SMS_GATEWAY=http").contains("EPILOOP_SMS_HTTP_URL"));
  }

  // --- helpers

  private static Api.Res otp(String phone, String forwardedFor) {
    return api(app).post("/api/v1/resident/otp", Api.obj("phone", phone), Map.of("X-Forwarded-For", forwardedFor));
  }

  private static HttpResponse<String> receipt(String body, String keyId, long timestamp, String signature) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(provider.receiptsTo))
          .header("Content-Type", "application/json").header("X-Epiloop-Key-Id", keyId)
          .header("X-Epiloop-Timestamp", Long.toString(timestamp)).header("X-Epiloop-Signature", signature)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String status(String messageId) {
    return jdbc().sql("select status from sms_messages where message_id = ?::uuid").param(messageId).query(String.class).single();
  }

  /** The provider's side of the signature, computed here on its own. */
  static String sign(long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JdbcClient jdbc() {
    return app.getBean(JdbcClient.class);
  }

  private static Api admin() {
    Api api = api(app);
    return api.as(api.post("/api/v1/auth/token", adminCredentials()).str("accessToken"));
  }

  /** admin's password and second factor; each test runs minutes apart (freshMinute), so a code is never replayed. */
  private static Object adminCredentials() {
    return Api.obj("username", "admin", "password", ADMIN_PASSWORD, "totp",
        IntegrationTest.totp(IntegrationTest.ADMIN_TOTP_SECRET, clock.instant()));
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api("http://localhost:" + context.getEnvironment().getProperty("local.server.port"), null);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * An SMS provider's HTTP API in this JVM: checks each request's signature against the
   * shared secret, answers the first try of a message 503 (or keeps it waiting past the
   * client's timeout, or refuses it with 400), the next 200, and then posts a signed
   * DELIVERED receipt back.
   */
  static final class Provider {

    enum Behaviour { FLAKY, SLOW_FIRST, REFUSE }

    record Request(String to, String messageId, String idempotencyKey, String keyId, boolean signed, String text, int status) {}

    final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
    final Map<String, HttpExchange> waiting = new ConcurrentHashMap<>();
    volatile String receiptsTo;

    Provider() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/messages", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/messages";
    }

    List<Request> requestsTo(String phone) {
      return requests.stream().filter(r -> r.to().equals("+86" + phone)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String body = new String(raw, StandardCharsets.UTF_8);
      String timestamp = exchange.getRequestHeaders().getFirst("X-Epiloop-Timestamp");
      boolean signed = timestamp != null && sign(Long.parseLong(timestamp), body).equals(exchange.getRequestHeaders().getFirst("X-Epiloop-Signature"));
      JsonNode message = JSON.readTree(body);
      String to = message.path("to").asString();
      String id = message.path("messageId").asString();
      boolean first = requests.stream().noneMatch(r -> r.messageId().equals(id));
      Behaviour how = behaviour.getOrDefault(to, Behaviour.FLAKY);
      int status = !signed ? 401 : how == Behaviour.REFUSE ? 400 : first ? 503 : 200;
      requests.add(new Request(to, id, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
          exchange.getRequestHeaders().getFirst("X-Epiloop-Key-Id"), signed, message.path("text").asString(),
          first && how == Behaviour.SLOW_FIRST ? 0 : status));
      if (first && how == Behaviour.SLOW_FIRST) {
        waiting.put(id, exchange); // no answer until the client has given up and tried again
        return;
      }
      HttpExchange abandoned = waiting.remove(id);
      if (abandoned != null) {
        abandoned.close();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      if (status == 200) {
        deliver(id);
      }
    }

    private void deliver(String id) {
      String receipt = "{\"messageId\":\"" + id + "\",\"status\":\"DELIVERED\"}";
      long now = clock.instant().getEpochSecond();
      HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(receiptsTo))
          .header("Content-Type", "application/json").header("X-Epiloop-Key-Id", KEY_ID)
          .header("X-Epiloop-Timestamp", Long.toString(now)).header("X-Epiloop-Signature", sign(now, receipt))
          .POST(HttpRequest.BodyPublishers.ofString(receipt)).build(), HttpResponse.BodyHandlers.discarding());
    }
  }
}
