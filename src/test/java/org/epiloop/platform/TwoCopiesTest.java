package org.epiloop.platform;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.epiloop.EpiloopApplication;
import org.epiloop.alerts.Alerts;
import org.epiloop.support.Api;
import org.epiloop.support.DebianPostgres;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two copies of the application on one real PostgreSQL server (Debian's), as behind a load
 * balancer (ADR 0022): what one copy does, the other sees at once — an alert raised through
 * copy A reaches a command screen streaming from copy B, a token logged out through A is refused
 * by B, a scan sent to both with one Idempotency-Key binds once — and the two, started together
 * on an empty database, create one {@code admin} and sign health codes with the one configured key.
 */
// after LogPrivacyTest, like ExternalDatabaseTest: starting applications reconfigures the JVM's logging
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class TwoCopiesTest {

  private static final String ADMIN_PASSWORD = "two-copies-admin-pw";
  private static final String PASSWORD = "two-copies-staff-pw";

  private static DebianPostgres pg;
  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;
  private static Api apiA;
  private static Api apiB;
  private static String adminToken;

  @BeforeAll
  static void start() throws Exception {
    pg = DebianPostgres.start();
    List<String> shared = new ArrayList<>(List.of("--server.port=0", "--epiloop.demo=false", "--epiloop.sms.gateway=dev",
        "--epiloop.admin-password=" + ADMIN_PASSWORD, "--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET,
        "--logging.level.root=WARN", "--spring.datasource.url=" + pg.jdbcUrl(), "--spring.datasource.username=" + pg.username(),
        "--spring.datasource.password=" + pg.password(), "--spring.datasource.hikari.maximum-pool-size=4",
        "--epiloop.health-code.signing-key=" + ExternalDatabaseTest.key()));
    for (String name : org.epiloop.shared.Secrets.KEYS) {
      shared.add("--epiloop.secrets." + name + "=" + ExternalDatabaseTest.key());
    }
    // both at once on the empty database: Flyway's lock, then the start-up locks sort them out
    CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(() -> run(shared));
    CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture.supplyAsync(() -> run(shared));
    a = first.join();
    b = second.join();
    apiA = new Api("http://localhost:" + a.getEnvironment().getProperty("local.server.port"), null);
    apiB = new Api("http://localhost:" + b.getEnvironment().getProperty("local.server.port"), null);
    Api.Res login = apiA.post("/api/v1/auth/token", Api.obj("username", "admin", "password", ADMIN_PASSWORD, "totp",
        IntegrationTest.totp(IntegrationTest.ADMIN_TOTP_SECRET, Instant.now())));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    adminToken = login.str("accessToken");
  }

  private static ConfigurableApplicationContext run(List<String> shared) {
    List<String> args = new ArrayList<>(shared);
    try {
      args.add("--epiloop.data-dir=" + Files.createTempDirectory("epiloop-copy-"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new SpringApplicationBuilder(EpiloopApplication.class).run(args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b}) {
      if (c != null) {
        c.close();
      }
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** A new staff user of the role, logged in through copy A; the token is good on both copies. */
  private static String staff(String role, String site) {
    String name = ("tc-" + role + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase().replace('_', '-');
    Api.Res created = apiA.as(adminToken).post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role,
        "siteCode", site));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Api.Res login = apiA.post("/api/v1/auth/token", Api.obj("username", name, "password", PASSWORD));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    return login.str("accessToken");
  }

  @Test
  void startedTogetherTheCopiesMadeOneAdminAndSignWithTheOneConfiguredKey() {
    JdbcClient jdbc = a.getBean(JdbcClient.class);
    assertThat(jdbc.sql("select count(*) from staff_users where username = 'admin'").query(Integer.class).single()).isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from health_signing_keys").query(Integer.class).single())
        .as("the configured key, nothing generated by a copy").isEqualTo(1);
    Api.Res keysA = apiA.get("/api/v1/health-codes/keys");
    Api.Res keysB = apiB.get("/api/v1/health-codes/keys");
    assertThat(keysA.status()).isEqualTo(200);
    assertThat(keysA.json().path("keys").size()).isEqualTo(1);
    assertThat(keysB.json().path("keys").get(0).path("kid").asString()).isEqualTo(keysA.json().path("keys").get(0).path("kid").asString());
  }

  @Test
  void aCriticalResultRaisedThroughOneCopyReachesAScreenStreamingFromTheOther() throws Exception {
    String official = staff("OFFICIAL", null);
    Api.Res ticket = apiB.as(official).post("/api/v1/dashboard/alerts/stream-tickets", Map.of());
    assertThat(ticket.status()).isEqualTo(201);
    Ids.ISSUED.add(ticket.str("ticket"));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(apiB.base() + "/api/v1/dashboard/alerts/stream?ticket=" + ticket.str("ticket"))).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the test closed the stream
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(next(lines, "event:ready", Duration.ofSeconds(20))).contains("event:ready");
      assertThat(next(lines, "data:", Duration.ofSeconds(5))).as("B is listening").contains("\"listening\":true");
      String subject = "T-" + UUID.randomUUID().toString().substring(0, 8);
      long raised = System.nanoTime();
      a.getBean(Alerts.class).raise("CRITICAL_RESULT", subject, "Single-tube positive (raised on copy A)");
      String data = next(lines, "data:", Duration.ofSeconds(5));
      while (data != null && !data.contains(subject)) {
        data = next(lines, "data:", Duration.ofSeconds(5));
      }
      assertThat(data).as("the alert raised on A arrives on B's stream").contains("\"kind\":\"CRITICAL_RESULT\"");
      assertThat(Duration.ofNanos(System.nanoTime() - raised)).as("at once, not at the next poll").isLessThan(Duration.ofSeconds(2));
    } finally {
      stream.body().close();
      reader.interrupt();
    }
  }

  @Test
  void aTokenLoggedOutThroughOneCopyIsRefusedByTheOtherAtOnce() {
    String official = staff("OFFICIAL", null);
    // B has checked the token and keeps its answer (Revocations.CHECK_TTL, 5 s)
    assertThat(apiB.as(official).get("/api/v1/dashboard/alerts").status()).isEqualTo(200);
    assertThat(apiB.as(official).get("/api/v1/dashboard/alerts").status()).isEqualTo(200);
    assertThat(apiA.as(official).post("/api/v1/auth/logout", Map.of()).status()).isIn(200, 204);
    // B refuses the token logged out through A within the notification's delivery, well before
    // its 5 s cache would have let the token go
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .until(() -> apiB.as(official).get("/api/v1/dashboard/alerts").status(), status -> status == 401);
    assertThat(apiA.as(official).get("/api/v1/dashboard/alerts").status()).isEqualTo(401);
  }

  @Test
  void aScanSentToBothCopiesWithOneKeyBindsOnce() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    Api admin = apiA.as(adminToken);
    assertThat(admin.post("/api/v1/districts", Api.obj("code", "TC-D" + suffix, "name", "区 " + suffix)).status()).isEqualTo(201);
    assertThat(admin.post("/api/v1/sites", Api.obj("code", "TC-S" + suffix, "name", "采样点 " + suffix, "districtCode", "TC-D" + suffix,
        "latitude", 33.96, "longitude", 118.27)).status()).isEqualTo(201);
    String collector = staff("COLLECTOR", "TC-S" + suffix);
    String tube = "TC-T" + suffix;
    assertThat(apiA.as(collector).post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 10)).status()).isEqualTo(201);
    Map<String, Object> scan = Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "双份");
    String key = UUID.randomUUID().toString();
    List<Api.Res> answers = Race.of(List.<java.util.concurrent.Callable<Api.Res>>of(
        () -> apiA.as(collector).scan("/api/v1/tubes/" + tube + "/bindings", scan, key),
        () -> apiB.as(collector).scan("/api/v1/tubes/" + tube + "/bindings", scan, key)));
    // the second may find the first still running (409 IDEMPOTENCY_IN_PROGRESS) and is then sent again
    List<String> bindings = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Api.Res r = answers.get(i);
      Api copy = i == 0 ? apiA : apiB;
      if (r.status() == 409 && "IDEMPOTENCY_IN_PROGRESS".equals(r.code())) {
        r = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
            .until(() -> copy.as(collector).scan("/api/v1/tubes/" + tube + "/bindings", scan, key),
                again -> !(again.status() == 409 && "IDEMPOTENCY_IN_PROGRESS".equals(again.code())));
      }
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      bindings.add(r.str("bindingId"));
    }
    assertThat(bindings.get(1)).as("the same binding from both copies").isEqualTo(bindings.get(0));
    assertThat(a.getBean(JdbcClient.class).sql("select count(*) from bindings where tube_code = ?")
        .param(tube).query(Integer.class).single()).isEqualTo(1);
  }

  private static String next(BlockingQueue<String> lines, String prefix, Duration bound) throws InterruptedException {
    long end = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < end) {
      String line = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

}
