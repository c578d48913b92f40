package org.epiloop.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.epiloop.EpiloopApplication;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.ProvinceReceiver;
import org.epiloop.support.TestPki;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The done-criterion of issue 16 item 1: a real FHIR server in-process as the province (HAPI's
 * RestfulServer on Tomcat) while a small day is released through the API; the province answers
 * 503s, hangs past the client's timeout, restarts, and Epiloop itself is restarted in between.
 * Every released result arrives exactly once, every bundle validates, an amendment arrives as
 * {@code amended}; a bundle the province refuses (422) is listed for the administrator with the
 * OperationOutcome and goes through when requeued.
 */
// Starts its own applications (like RestartDurabilityTest): runs last, so as not to reconfigure
// the shared context's logging before LogPrivacyTest reads it.
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class ProvinceDeliveryTest {

  private static final String ADMIN_PASSWORD = "province-admin-pw";

  @Test
  void everyReleasedResultArrivesOnceThroughFailuresAndRestarts() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-province-");
    try (ProvinceReceiver province = ProvinceReceiver.start(6000)) {
      Day first;
      List<String> firstRun;
      try (ConfigurableApplicationContext app = start(dir, province, true)) {
        first = Day.open(api(app));
        // the province is down for maintenance, then hangs: the first bundles must be retried
        province.failNext(4, ProvinceReceiver.Failure.SERVICE_UNAVAILABLE);
        province.failNext(2, ProvinceReceiver.Failure.HANG);
        firstRun = first.releaseNegativeRun(3, 5);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> released(jdbc) == 15);
        // Epiloop stops while (or before) the bundles go out
      }
      try (ConfigurableApplicationContext app = start(dir, province, false)) {
        Day day = first.on(api(app));
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        String refused = day.fillTube(1).idNumbers().get(0);
        province.refusePatient(refused);
        List<String> second = new ArrayList<>(day.filled);
        day.filled.clear();
        second.addAll(List.of(day.fillTube(5).tubeCode(), day.fillTube(10).tubeCode()));
        day.release(second, Set.of());
        province.restart(300);
        await().atMost(Duration.ofSeconds(60)).until(() -> released(jdbc) == 31);

        // the refused bundle is listed with the province's OperationOutcome, and nothing else is
        JsonNode dead = await().atMost(Duration.ofSeconds(60)).until(
            () -> ok(day.admin.get("/api/v1/admin/province/deliveries?state=DEAD"), 200).json(), j -> j.size() == 1).get(0);
        assertThat(dead.path("httpStatus").asInt()).isEqualTo(422);
        assertThat(dead.path("outcome").asString()).contains("OperationOutcome").contains("not registered with the province");
        assertThat(dead.path("lastError").asString()).contains("422");

        // an amendment: one reviewer proposes, another approves
        String tube = firstRun.get(0);
        JsonNode result = ok(day.reviewer.get("/api/v1/labs/" + day.lab + "/released-results?tubeCode=" + tube), 200).json().get(0);
        String binding = result.path("bindingId").asString();
        String amendment = ok(day.reviewer.post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST",
            "reason", "Internal control failed on re-read")), 201).str("id");
        ok(day.reviewer2.post("/api/v1/amendments/" + amendment + "/approve", Map.of()), 200);

        // fixed at the province: requeued, it goes through
        province.acceptPatient(refused);
        ok(day.admin.post("/api/v1/admin/province/deliveries/" + dead.path("id").asLong() + "/requeue", Map.of()), 200);

        await().atMost(Duration.ofSeconds(90)).until(() -> {
          JsonNode s = ok(day.admin.get("/api/v1/admin/province"), 200).json().path("summary");
          return s.path("pending").asLong() == 0 && s.path("dead").asLong() == 0 && s.path("delivered").asLong() == 32;
        });

        Map<String, ProvinceReceiver.Stored> reports = province.stored("DiagnosticReport");
        List<String> bindings = jdbc.sql("select binding_id::text from person_results where run_id is not null").query(String.class).list();
        assertThat(bindings).hasSize(31);
        // every released result arrived, once: one report per result, none other
        assertThat(reports.keySet()).containsExactlyInAnyOrderElementsOf(bindings.stream().map(b -> "urn:epiloop:result|" + b).toList());
        List<String> committed = province.committed();
        assertThat(new HashSet<>(committed)).as("no bundle was taken twice by the province").hasSize(committed.size());
        assertThat(committed).hasSize(32);
        ca.uhn.fhir.validation.FhirValidator validator = ProvinceReceiver.validator();
        province.bundles().forEach((id, bundle) ->
            assertThat(ProvinceReceiver.errors(validator, bundle)).as("bundle " + id + " validates").isEmpty());
        assertThat(province.bundles()).hasSize(32);
        assertThat(province.stored("Patient")).hasSize(31);
        assertThat(province.stored("Specimen")).hasSize(6);
        assertThat(province.stored("Organization")).hasSize(2);
        for (String b : bindings) {
          DiagnosticReport r = (DiagnosticReport) reports.get("urn:epiloop:result|" + b).resource();
          if (b.equals(binding)) {
            assertThat(r.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.AMENDED);
            assertThat(reports.get("urn:epiloop:result|" + b).version()).isEqualTo(2);
            assertThat(r.getConclusion()).contains("Internal control failed");
          } else {
            assertThat(r.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
            assertThat(reports.get("urn:epiloop:result|" + b).version()).as("a resent bundle changes nothing").isEqualTo(1);
          }
        }
        // the failures did happen, and were retried
        assertThat(province.failedRequests()).isEqualTo(6);
        assertThat(jdbc.sql("select count(*) from province_outbox where attempts > 1").query(Integer.class).single()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select count(*) from province_outbox where acknowledgement like 'HTTP 200: %DiagnosticReport/%'")
            .query(Integer.class).single()).isEqualTo(32);
      }
    }
  }

  /**
   * Issue 16, follow-up items 1 and 2: results released while delivery is switched off are
   * queued all the same and go out once it is on (ADR 0024); amendments made meanwhile follow
   * the recall follow-up (ADR 0018) and reach the province as {@code corrected} (an error in the
   * released value) or {@code amended} (a result revised on later work), after the original.
   */
  @Test
  void resultsReleasedWhileDeliveryIsOffGoOutOnceItIsOnAndAmendmentsFollowRecallsAndFhirStatus() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-province-off-");
    try (ProvinceReceiver province = ProvinceReceiver.start(3000)) {
      Day day;
      String corrected;
      String revised;
      try (ConfigurableApplicationContext app = startOff(dir)) {
        day = Day.open(api(app));
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          codes.add(day.fillTube(4).tubeCode());
        }
        day.filled.clear();
        // the first tube is a positive pool: its four members are RECALLED, each with a recall
        String run = day.release(codes, Set.of(codes.get(0)));
        ok(day.reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> released(jdbc) == 12);
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox(jdbc, "PENDING") == 12);
        assertThat(province.requests()).as("nothing is sent while delivery is off").isZero();

        corrected = binding(day, codes.get(0), "RECALLED");
        assertThat(openRecall(jdbc, corrected)).isTrue();
        revised = binding(day, codes.get(1), "NEGATIVE");
        assertThat(openRecall(jdbc, revised)).isFalse();
        // a plate-map slip: the pool was negative all along (an error in the released value)
        amend(day, corrected, "NEGATIVE", "CORRECTION", "Plate map slip: well A1 belonged to another tube");
        // a failed internal control found on re-read: the result itself changes
        amend(day, revised, "RETEST", "REVISION", "Internal control failed on re-read");

        // the recall follow-up follows: the corrected pool member is no longer recalled, the
        // revised one now is (and is told where to go, like any recall)
        assertThat(jdbc.sql("select outcome from recalls where binding_id = ? and closed_at is not null").param(UUID.fromString(corrected))
            .query(String.class).optional()).contains("AMENDED_NEGATIVE");
        assertThat(jdbc.sql("select reason from recalls where binding_id = ? and closed_at is null").param(UUID.fromString(revised))
            .query(String.class).optional()).contains("INCONCLUSIVE");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select notified_at is not null from recalls where binding_id = ?")
            .param(UUID.fromString(revised)).query(Boolean.class).single());
        // the amendments are queued behind the originals, still unsent
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox(jdbc, "PENDING") == 14);
        assertThat(jdbc.sql("select report_status from province_outbox where binding_id = ? and revision = 1")
            .param(UUID.fromString(corrected)).query(String.class).single()).isEqualTo("CORRECTED");
        assertThat(province.requests()).isZero();
      }
      // delivery is switched on (configuration and a restart): everything queued goes out, once
      try (ConfigurableApplicationContext app = start(dir, province, false)) {
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> outbox(jdbc, "DELIVERED") == 14);
        List<String> committed = province.committed();
        assertThat(committed).hasSize(14);
        assertThat(new HashSet<>(committed)).hasSize(14);
        Map<String, ProvinceReceiver.Stored> reports = province.stored("DiagnosticReport");
        assertThat(reports).hasSize(12);
        ProvinceReceiver.Stored c = reports.get("urn:epiloop:result|" + corrected);
        assertThat(((DiagnosticReport) c.resource()).getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.CORRECTED);
        assertThat(c.version()).isEqualTo(2);
        ProvinceReceiver.Stored r = reports.get("urn:epiloop:result|" + revised);
        assertThat(((DiagnosticReport) r.resource()).getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.AMENDED);
        assertThat(r.version()).isEqualTo(2);
        assertThat(reports.values().stream().filter(s -> s.version() == 1)
            .map(s -> ((DiagnosticReport) s.resource()).getStatus()).distinct().toList())
            .containsExactly(DiagnosticReport.DiagnosticReportStatus.FINAL);
        ca.uhn.fhir.validation.FhirValidator validator = ProvinceReceiver.validator();
        province.bundles().forEach((id, bundle) ->
            assertThat(ProvinceReceiver.errors(validator, bundle)).as("bundle " + id + " validates").isEmpty());
      }
    }
  }

  /**
   * Issue 16, follow-up item 4: two copies of the sender (each with its own workers, as two
   * copies of Epiloop would run) drain one outbox on one database at once; the province takes
   * every bundle exactly once, and both copies did part of the work.
   */
  @Test
  void twoSendingCopiesDrainOneOutboxAndEveryBundleArrivesOnce() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-province-two-");
    try (ProvinceReceiver province = ProvinceReceiver.start(2000);
        ConfigurableApplicationContext app = startOff(dir)) {
      Day day = Day.open(api(app));
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      day.releaseNegativeRun(6, 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> outbox(jdbc, "PENDING") == 60);
      ProvinceProperties on = new ProvinceProperties(true, java.net.URI.create(province.url()), "test-province-token", null, null, null,
          null, 3, 3, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(20));
      // a few failures on the way, so that retried rows are up for grabs by either copy; the
      // timeout is long so that a slow answer on a busy machine is not resent (a resend after a
      // timeout is harmless at the receiver's data, ADR 0024, but this test counts transactions)
      province.failNext(3, ProvinceReceiver.Failure.SERVICE_UNAVAILABLE);
      List<ProvinceSender> copies = List.of(sender(app, on), sender(app, on));
      copies.forEach(ProvinceSender::start);
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> outbox(jdbc, "DELIVERED") == 60);
      } finally {
        copies.forEach(ProvinceSender::stop);
      }
      List<String> committed = province.committed();
      assertThat(committed).hasSize(60);
      assertThat(new HashSet<>(committed)).as("no bundle was taken twice").hasSize(60);
      assertThat(province.requests()).as("one request per bundle, plus the failed ones").isEqualTo(63);
      assertThat(jdbc.sql("select count(distinct regexp_replace(delivered_by, '-[0-9]+$', '')) from province_outbox where state = 'DELIVERED'")
          .query(Integer.class).single()).as("both copies sent").isEqualTo(2);
      assertThat(province.stored("DiagnosticReport")).hasSize(60);
    }
  }

  /**
   * Issue 16, follow-up item 3: the province requires mutual TLS. Epiloop, configured with its
   * key store (its client certificate) and a trust store (the province's CA), delivers; a client
   * without a certificate is refused at the handshake.
   */
  @Test
  void mutualTlsDeliversWithTheCityCertificateAndRefusesAClientWithout() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-province-mtls-");
    TestPki pki = TestPki.create(Files.createTempDirectory("epiloop-pki-"), "epiloop-city");
    try (ProvinceReceiver province = ProvinceReceiver.startMutualTls(pki)) {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(pki.caTrustStore())) {
        trust.load(in, pki.password().toCharArray());
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext noCertificate = javax.net.ssl.SSLContext.getInstance("TLS");
      noCertificate.init(null, tmf.getTrustManagers(), null);
      java.net.http.HttpClient bare = java.net.http.HttpClient.newBuilder().sslContext(noCertificate).connectTimeout(Duration.ofSeconds(5))
          .build();
      java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(java.net.URI.create(province.url()))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/fhir+json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}")).build();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> bare.send(post, java.net.http.HttpResponse.BodyHandlers.ofString()))
          .as("no client certificate, no connection").isInstanceOf(java.io.IOException.class);
      assertThat(province.requests()).as("the refused client never reached the FHIR server").isZero();

      List<String> args = common(dir, true);
      args.addAll(List.of("--epiloop.province.enabled=true", "--epiloop.province.endpoint=" + province.url(),
          "--epiloop.province.key-store=" + pki.clientKeyStore(), "--epiloop.province.key-store-password=" + pki.password(),
          "--epiloop.province.trust-store=" + pki.caTrustStore(), "--epiloop.province.trust-store-password=" + pki.password(),
          "--epiloop.province.poll-interval=100ms"));
      try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(args.toArray(String[]::new))) {
        Day day = Day.open(api(app));
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        day.releaseNegativeRun(2, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox(jdbc, "DELIVERED") == 6);
        assertThat(province.committed()).hasSize(6);
        assertThat(jdbc.sql("select count(*) from province_outbox where acknowledgement like 'HTTP 200: %DiagnosticReport/%'")
            .query(Integer.class).single()).isEqualTo(6);
      }
    }
  }

  private static ProvinceSender sender(ConfigurableApplicationContext app, ProvinceProperties properties) {
    return new ProvinceSender(properties, app.getBean(ProvinceOutbox.class), app.getBean(org.epiloop.results.PersonResults.class),
        app.getBean(org.epiloop.identity.Persons.class), app.getBean(org.epiloop.audit.AuditTrail.class), app.getBean(java.time.Clock.class));
  }

  private static int outbox(JdbcClient jdbc, String state) {
    return jdbc.sql("select count(*) from province_outbox where state = ?").param(state).query(Integer.class).single();
  }

  private static boolean openRecall(JdbcClient jdbc, String binding) {
    return jdbc.sql("select exists (select 1 from recalls where binding_id = ? and closed_at is null)").param(UUID.fromString(binding))
        .query(Boolean.class).single();
  }

  /** The binding of the first released result of a tube with the given status. */
  private static String binding(Day day, String tube, String status) {
    for (JsonNode r : ok(day.reviewer.get("/api/v1/labs/" + day.lab + "/released-results?tubeCode=" + tube), 200).json()) {
      if (r.path("status").asString().equals(status)) {
        return r.path("bindingId").asString();
      }
    }
    throw new AssertionError("no " + status + " result in tube " + tube);
  }

  private static void amend(Day day, String binding, String status, String kind, String reason) {
    String id = ok(day.reviewer.post("/api/v1/amendments", Api.obj("bindingId", binding, "status", status, "kind", kind, "reason", reason)),
        201).str("id");
    ok(day.reviewer2.post("/api/v1/amendments/" + id + "/approve", Map.of()), 200);
  }

  /** Delivery off, as in the demo city: no endpoint, nothing sent; the outbox is written all the same. */
  private static ConfigurableApplicationContext startOff(Path dir) {
    return new SpringApplicationBuilder(EpiloopApplication.class).run(common(dir, true).toArray(String[]::new));
  }

  private static List<String> common(Path dir, boolean first) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--epiloop.data-dir=" + dir, "--epiloop.demo=false",
        "--epiloop.sms.gateway=dev", "--logging.level.root=WARN", "--epiloop.staff-token-ttl=1d"));
    if (first) {
      args.add("--epiloop.admin-password=" + ADMIN_PASSWORD);
      args.add("--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET);
    }
    return args;
  }

  private static int released(JdbcClient jdbc) {
    return jdbc.sql("select count(*) from person_results where run_id is not null").query(Integer.class).single();
  }

  private static ConfigurableApplicationContext start(Path dir, ProvinceReceiver province, boolean first) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--epiloop.data-dir=" + dir, "--epiloop.demo=false",
        "--epiloop.sms.gateway=dev", "--logging.level.root=WARN", "--epiloop.staff-token-ttl=1d",
        "--epiloop.province.enabled=true", "--epiloop.province.endpoint=" + province.url(),
        "--epiloop.province.bearer-token=test-province-token", "--epiloop.province.timeout=3s",
        "--epiloop.province.initial-backoff=200ms", "--epiloop.province.max-backoff=1s", "--epiloop.province.poll-interval=100ms",
        "--epiloop.province.batch-size=4", "--epiloop.province.parallelism=2"));
    if (first) {
      args.add("--epiloop.admin-password=" + ADMIN_PASSWORD);
      args.add("--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET);
    }
    return new SpringApplicationBuilder(EpiloopApplication.class).run(args.toArray(String[]::new));
  }

  private static Api api(ConfigurableApplicationContext app) {
    return new Api("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
  }

  static Api.Res ok(Api.Res r, int expected) {
    if (r.status() != expected) {
      throw new AssertionError("expected " + expected + " but got " + r);
    }
    return r;
  }

  /** A district with a site and a lab, and its staff, driven through the API. */
  static final class Day {
    final Api admin;
    final Api collector;
    final Api courier;
    final Api tech;
    final Api reviewer;
    final Api reviewer2;
    final String lab;
    final String site;
    final List<String> filled = new ArrayList<>();
    private final Map<String, String> tokens;

    private Day(Api admin, Map<String, String> tokens, String site, String lab) {
      Api base = admin.anonymous();
      this.admin = admin;
      this.tokens = tokens;
      this.site = site;
      this.lab = lab;
      this.collector = base.as(tokens.get("collector"));
      this.courier = base.as(tokens.get("courier"));
      this.tech = base.as(tokens.get("tech"));
      this.reviewer = base.as(tokens.get("reviewer"));
      this.reviewer2 = base.as(tokens.get("reviewer2"));
    }

    static Day open(Api api) {
      String totp = IntegrationTest.totp(IntegrationTest.ADMIN_TOTP_SECRET, Instant.now());
      Api admin = api.as(ok(api.post("/api/v1/auth/token", Api.obj("username", "admin", "password", ADMIN_PASSWORD, "totp", totp)), 200)
          .str("accessToken"));
      String s = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
      ok(admin.post("/api/v1/districts", Api.obj("code", "PD-" + s, "name", "省 " + s)), 201);
      ok(admin.post("/api/v1/sites", Api.obj("code", "PS-" + s, "name", "采样点", "districtCode", "PD-" + s, "latitude", 33.96,
          "longitude", 118.27)), 201);
      ok(admin.post("/api/v1/labs", Api.obj("code", "PL-" + s, "name", "Lab", "districtCode", "PD-" + s, "dailyCapacity", 50000,
          "latitude", 33.95, "longitude", 118.28)), 201);
      Map<String, String> tokens = new java.util.HashMap<>();
      for (String[] u : new String[][] {{"collector", "COLLECTOR", "PS-" + s, null}, {"courier", "COURIER", null, null},
          {"tech", "LAB_TECH", null, "PL-" + s}, {"reviewer", "LAB_REVIEWER", null, "PL-" + s},
          {"reviewer2", "LAB_REVIEWER", null, "PL-" + s}}) {
        String name = (u[0] + "-" + s).toLowerCase();
        ok(admin.post("/api/v1/admin/users", Api.obj("username", name, "password", IntegrationTest.PASSWORD, "role", u[1],
            "siteCode", u[2], "labCode", u[3])), 201);
        tokens.put(u[0], ok(api.post("/api/v1/auth/token", Api.obj("username", name, "password", IntegrationTest.PASSWORD)), 200)
            .str("accessToken"));
      }
      return new Day(admin, tokens, "PS-" + s, "PL-" + s);
    }

    /** The same staff on a restarted copy (tokens survive a restart). */
    Day on(Api api) {
      return new Day(api.as(admin.token()), tokens, site, lab);
    }

    Flows.FilledTube fillTube(int persons) {
      Flows.FilledTube t = Flows.fillTube(collector, "PT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), persons);
      filled.add(t.tubeCode());
      return t;
    }

    /** Tubes of the given sizes, shipped, received, plated and released negative (auto-release). */
    List<String> releaseNegativeRun(int tubes, int persons) {
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < tubes; i++) {
        codes.add(fillTube(persons).tubeCode());
      }
      filled.clear();
      release(codes, Set.of());
      return codes;
    }

    /** Returns the run: one with positives waits for a reviewer's approval ({@code /runs/{id}/approval}). */
    String release(List<String> codes, Set<String> positives) {
      String box = "PB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
      Flows.ship(collector, courier, box, lab, codes);
      Flows.receive(tech, lab, box, codes);
      Map<String, String> layout = Plates.layout(codes);
      String run = ok(tech.post("/api/v1/labs/" + lab + "/runs", Map.of("plateCode", "PP-" + UUID.randomUUID().toString().substring(0, 8),
          "wells", Plates.wellsJson(layout))), 201).str("runId");
      ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, positives, false)), 200);
      return run;
    }
  }
}
