package org.epiloop.earlywarning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Early warning through HTTP (issue 18 item 7, D4): each rule stays quiet on its baseline and
 * fires on a constructed scenario, with its reason and one alert per episode. Defaults: 3
 * positives in 24 h; visits in the last hour ≥ 5 and ≥ 2 × the 7-day same-hour mean; 3 declared
 * fevers in one grid in 24 h. Each test has its own district and its own days (67–80 days ahead).
 */
class EarlyWarningApiTest extends IntegrationTest {

  @Autowired EarlyWarnings warnings;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aClusterOfPositivesInADistrictFiresOnceAndTwoStayQuiet() {
    moveTo(67, "02:00");
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    Api official = staff("OFFICIAL", null, null);
    positive(c, courier, tech, reviewer);
    positive(c, courier, tech, reviewer);
    awaitPositives(c.site(), 2);
    warnings.evaluate();
    assertThat(open(official, c.district(), "POSITIVE_CLUSTER")).as("two positives are the baseline here: quiet").isEmpty();

    positive(c, courier, tech, reviewer);
    awaitPositives(c.site(), 3);
    warnings.evaluate();
    List<JsonNode> fired = open(official, c.district(), "POSITIVE_CLUSTER");
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).path("reason").asString()).contains("Cluster of positives in district " + c.district()).contains("3 positives");
    warnings.evaluate();
    assertThat(open(official, c.district(), "POSITIVE_CLUSTER")).hasSize(1);
    assertThat(alerts("POSITIVE_CLUSTER / " + c.district() + " / #")).as("one alert per episode").isEqualTo(1);
    // the heat layer counts them on their day
    String day = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")).toString();
    JsonNode heat = ok(official.get("/api/v1/dashboard/heat?from=" + day + "&to=" + day), 200).json();
    int positives = 0;
    for (JsonNode cell : heat) {
      if (c.district().equals(cell.path("districtCode").asString())) {
        positives += cell.path("positives").asInt();
      }
    }
    assertThat(positives).isEqualTo(3);
    // a day later the cluster is over: the episode ends
    clock.advance(Duration.ofHours(25));
    warnings.evaluate();
    assertThat(open(official, c.district(), "POSITIVE_CLUSTER")).isEmpty();
  }

  @Test
  void aSurgeOfFeverClinicVisitsAgainstTheDistrictsOwnBaselineFires() {
    Instant base = java.time.LocalDate.now(ZoneOffset.UTC).plusDays(78).atTime(6, 30).toInstant(ZoneOffset.UTC);
    Corner c = corner();
    String hospital = unique("H");
    ok(admin().post("/api/v1/hospitals", Api.obj("code", hospital, "name", "定点医院 " + hospital, "districtCode", c.district())), 201);
    String name = unique("fever").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "HOSPITAL", "hospitalCode", hospital)), 201);
    Api h = api().as(token(name, PASSWORD));
    Api official = staff("OFFICIAL", null, null);
    // the baseline: three visits in this hour on each of the last seven days
    for (int d = 7; d >= 1; d--) {
      moveTo(base.minus(Duration.ofDays(d)).minus(Duration.ofMinutes(20)));
      visits(h, 3);
    }
    moveTo(base.minus(Duration.ofMinutes(30)));
    visits(h, 3);
    moveTo(base);
    warnings.evaluate();
    assertThat(open(official, c.district(), "FEVER_VISIT_SURGE")).as("as many as usual: quiet").isEmpty();

    moveTo(base.minus(Duration.ofMinutes(10)));
    visits(h, 4);
    moveTo(base);
    warnings.evaluate();
    List<JsonNode> fired = open(official, c.district(), "FEVER_VISIT_SURGE");
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).path("reason").asString()).contains("7 in the last hour").contains("same-hour mean of 3.0");
    assertThat(alerts("FEVER_VISIT_SURGE / " + c.district() + " / #")).isEqualTo(1);
    // the rules are listed in order with their thresholds
    JsonNode rules = ok(official.get("/api/v1/early-warnings/rules"), 200).json();
    assertThat(rules.get(1).path("rule").asString()).isEqualTo("FEVER_VISIT_SURGE");
    assertThat(rules.get(1).path("settings").path("surgeRatio").asString()).isEqualTo("2.0");
  }

  @Test
  void severalDeclaredFeversInOneGridFire() {
    moveTo(80, "04:00");
    Corner c = corner();
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", c.district())), 201);
    Api official = staff("OFFICIAL", null, null);
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")).toString();
    List<String> persons = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      persons.add(Residents.addNewPerson(resident, admin(), Ids.next(), "发热" + (char) ('甲' + i), c.district()));
    }
    for (int i = 0; i < 2; i++) {
      ok(resident.post("/api/v1/resident/persons/" + persons.get(i) + "/declarations",
          Api.obj("gridCode", grid, "symptoms", List.of("FEVER"), "onsetDate", today)), 201);
    }
    // a cough is no fever
    ok(resident.post("/api/v1/resident/persons/" + persons.get(2) + "/declarations",
        Api.obj("gridCode", grid, "symptoms", List.of("COUGH"), "onsetDate", today)), 201);
    warnings.evaluate();
    assertThat(open(official, c.district(), "DECLARED_FEVER_CLUSTER")).as("two fevers: quiet").isEmpty();

    ok(resident.post("/api/v1/resident/persons/" + persons.get(2) + "/declarations",
        Api.obj("gridCode", grid, "symptoms", List.of("FEVER", "COUGH"), "onsetDate", today)), 201);
    warnings.evaluate();
    List<JsonNode> fired = open(official, c.district(), "DECLARED_FEVER_CLUSTER");
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).path("scopeCode").asString()).isEqualTo(grid);
    assertThat(fired.get(0).path("reason").asString()).contains("grid " + grid + ": 3 within 24 h");
    JsonNode alert = null;
    for (JsonNode a : ok(official.get("/api/v1/dashboard/alerts"), 200).json()) {
      if (a.path("subject").asString().startsWith("DECLARED_FEVER_CLUSTER / " + c.district() + " / " + grid)) {
        alert = a;
      }
    }
    assertThat(alert).isNotNull();
    assertThat(alert.path("kind").asString()).isEqualTo("EARLY_WARNING");
    assertThat(alert.path("detail").asString()).isEqualTo(fired.get(0).path("reason").asString());
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Moves the shared clock onto a day no other test uses: {@code days} after today (within the
   * tests' 90-day token lifetime) at {@code time} UTC.
   */
  private void moveTo(int days, String time) {
    moveTo(java.time.LocalDate.now(ZoneOffset.UTC).plusDays(days).atTime(java.time.LocalTime.parse(time)).toInstant(ZoneOffset.UTC));
  }

  private void moveTo(Instant instant) {
    clock.reset();
    clock.advance(Duration.between(clock.instant(), instant));
  }

  private void visits(Api hospital, int n) {
    for (int i = 0; i < n; i++) {
      ok(hospital.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "就诊" + i,
          "temperature", 38.0, "tested", true)), 201);
    }
  }

  private void positive(Corner c, Api courier, Api tech, Api reviewer) {
    String tube = unique("T");
    Flows.fillTube(c.collector(), tube, 1);
    String run = Flows.positiveUpToRelease(c.collector(), courier, tech, c.lab(), tube, unique("B"), unique("P"));
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
  }

  /** Walk-ins sampled at the site register no district: their positives count in the site's. */
  private void awaitPositives(String site, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from person_results where status = 'POSITIVE' and site_code = ?")
        .param(site).query(Long.class).single() == n);
  }

  private List<JsonNode> open(Api official, String district, String rule) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode w : ok(official.get("/api/v1/early-warnings?districtCode=" + district), 200).json()) {
      if (rule.equals(w.path("rule").asString())) {
        out.add(w);
      }
    }
    return out;
  }

  private long alerts(String subjectPrefix) {
    return jdbc.sql("select count(*) from alerts where kind = 'EARLY_WARNING' and subject like ?").param(subjectPrefix + "%")
        .query(Long.class).single();
  }
}
