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

    void release(List<String> codes, Set<String> positives) {
      String box = "PB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
      Flows.ship(collector, courier, box, lab, codes);
      Flows.receive(tech, lab, box, codes);
      Map<String, String> layout = Plates.layout(codes);
      String run = ok(tech.post("/api/v1/labs/" + lab + "/runs", Map.of("plateCode", "PP-" + UUID.randomUUID().toString().substring(0, 8),
          "wells", Plates.wellsJson(layout))), 201).str("runId");
      ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, positives, false)), 200);
    }
  }
}
