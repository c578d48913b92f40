package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The colour rules over declarations and risk areas (issue 18 items 1–2): each rule with the
 * reason the person reads, and each rule's end — the tests it waits for, the window it closes
 * after — reached by moving the injected clock.
 */
class DeclaredRiskCodesApiTest extends IntegrationTest {

  private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  record Person(Api resident, String personId) {}

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aHighRiskArrivalIsRedUntilTwoNegativeTests24HoursApart() {
    Corner c = corner();
    String county = county();
    area(county, "高风险 测试区", "HIGH", today().minusDays(5), null);
    Person p = person(c);
    String grid = grid(c.district());
    // arrived 30 h ago from a street of that county, by train
    declare(p, Api.obj("gridCode", grid, "fromRegion", county + "001", "arrivedAt", ago(Duration.ofHours(30)), "transport", "TRAIN"));
    JsonNode reason = awaitReason(p, "RED", "HIGH_RISK_ARRIVAL");
    assertThat(reason.path("text").asString()).contains("高风险 测试区").contains(county + "001").contains("two negative tests 24 h apart");

    // a negative test 25 h ago (after the arrival), then one now: the second ends the rule, the first alone does not
    clock.advance(Duration.ofHours(-25));
    negativeTest(c, p);
    clock.reset();
    awaitSettled(p);
    assertThat(code(p).path("color").asString()).as("one negative test is not enough").isEqualTo("RED");
    negativeTest(c, p);
    await().atMost(Duration.ofSeconds(20)).until(() -> "GREEN".equals(code(p).path("color").asString()));
  }

  @Test
  void aHighRiskArrivalEndsAfterItsWindowAndTestsBeforeTheArrivalDoNotCount() {
    Corner c = corner();
    String county = county();
    area(county, "高风险 窗口", "HIGH", today().minusDays(20), null);
    Person p = person(c);
    // two negative tests 25 h apart, both before the arrival (14 days less an hour ago): they answer nothing
    clock.advance(Duration.ofDays(-15).minusHours(2));
    negativeTest(c, p);
    clock.reset();
    clock.advance(Duration.ofDays(-14).minusHours(1));
    negativeTest(c, p);
    clock.reset();
    // arrived 14 days less 1 hour ago: the 14-day window closes in an hour
    declare(p, Api.obj("gridCode", grid(c.district()), "fromRegion", county, "arrivedAt", ago(Duration.ofDays(14).minusHours(1)),
        "transport", "FLIGHT"));
    awaitReason(p, "RED", "HIGH_RISK_ARRIVAL");
    clock.advance(Duration.ofMinutes(61));
    JsonNode after = code(p);
    assertThat(after.path("color").asString()).isEqualTo("GREEN");
    assertThat(after.path("reasons").toString()).doesNotContain("HIGH_RISK_ARRIVAL");
  }

  @Test
  void aMediumRiskArrivalIsYellowUntilOneNegativeTestAndReadsTheLevelAtTheArrivalTime() {
    Corner c = corner();
    String county = county();
    // medium from 20 days ago until 3 days ago, then high: an arrival 4 days ago reads MEDIUM
    area(county, "中风险 测试区", "MEDIUM", today().minusDays(20), today().minusDays(3));
    area(county, "中转高 测试区", "HIGH", today().minusDays(2), null);
    Person p = person(c);
    declare(p, Api.obj("gridCode", grid(c.district()), "fromRegion", county, "arrivedAt", ago(Duration.ofDays(4)), "transport", "CAR"));
    JsonNode reason = awaitReason(p, "YELLOW", "MEDIUM_RISK_ARRIVAL");
    assertThat(reason.path("text").asString()).contains("中风险 测试区").contains("one negative test");
    assertThat(code(p).path("reasons").toString()).doesNotContain("HIGH_RISK_ARRIVAL");
    negativeTest(c, p);
    await().atMost(Duration.ofSeconds(20)).until(() -> "GREEN".equals(code(p).path("color").asString()));

    // another person, same arrival time, no test: the 14-day window ends it
    Person q = person(c);
    declare(q, Api.obj("gridCode", grid(c.district()), "fromRegion", county, "arrivedAt", ago(Duration.ofDays(14).minusMinutes(30)),
        "transport", "BUS"));
    awaitReason(q, "YELLOW", "MEDIUM_RISK_ARRIVAL");
    clock.advance(Duration.ofMinutes(31));
    assertThat(code(q).path("color").asString()).isEqualTo("GREEN");
  }

  @Test
  void aDeclaredFeverIsYellowUntilANegativeTestTakenSinceItBegan() {
    Corner c = corner();
    Person p = person(c);
    // a negative test three days before the fever began does not answer it
    clock.advance(Duration.ofDays(-3));
    negativeTest(c, p);
    clock.reset();
    declare(p, Api.obj("gridCode", grid(c.district()), "symptoms", List.of("FEVER", "COUGH"), "onsetDate", today().toString()));
    JsonNode reason = awaitReason(p, "YELLOW", "DECLARED_FEVER");
    assertThat(reason.path("text").asString()).contains("Fever declared").contains(today().toString());
    // a cough without fever: no colour rule (a task only)
    Person q = person(c);
    declare(q, Api.obj("gridCode", grid(c.district()), "symptoms", List.of("COUGH"), "onsetDate", today().toString()));
    awaitSettled(q);
    assertThat(code(q).path("color").asString()).isEqualTo("GREEN");

    negativeTest(c, p);
    await().atMost(Duration.ofSeconds(20)).until(() -> "GREEN".equals(code(p).path("color").asString()));
  }

  @Test
  void aRiskAreaEnteredLateReachesAnEarlierArrivalAndAnAreaFromAfterTheArrivalDoesNot() {
    Corner c = corner();
    String county = county();
    Person p = person(c);
    Person q = person(c);
    String grid = grid(c.district());
    declare(p, Api.obj("gridCode", grid, "fromRegion", county + "002", "arrivedAt", ago(Duration.ofDays(2)), "transport", "TRAIN"));
    declare(q, Api.obj("gridCode", grid, "fromRegion", county + "002", "arrivedAt", ago(Duration.ofHours(1)), "transport", "TRAIN"));
    awaitSettled(p);
    assertThat(code(p).path("color").asString()).isEqualTo("GREEN");
    // the area was high from 5 days ago to yesterday: p arrived inside it, q after it ended
    area(county, "补录 高风险", "HIGH", today().minusDays(5), today().minusDays(1));
    awaitReason(p, "RED", "HIGH_RISK_ARRIVAL");
    awaitSettled(q);
    assertThat(code(q).path("color").asString()).isEqualTo("GREEN");
  }

  @Test
  void riskAreasAreCheckedAndAudited() {
    Api official = staff("OFFICIAL", null, null);
    String county = county();
    Api.Res bad = official.post("/api/v1/risk-areas", Api.obj("regionCode", "12345", "name", "x", "level", "HIGH", "from", today().toString()));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("INVALID_REGION_CODE");
    assertThat(official.post("/api/v1/risk-areas", Api.obj("regionCode", county, "name", "x", "level", "SEVERE", "from", today().toString()))
        .str("field")).isEqualTo("level");
    assertThat(official.post("/api/v1/risk-areas", Api.obj("regionCode", county, "name", "x", "level", "LOW", "from", "yesterday"))
        .code()).isEqualTo("INVALID_DATE");
    Api.Res added = ok(official.post("/api/v1/risk-areas",
        Api.obj("regionCode", county, "name", "审计区", "level", "MEDIUM", "from", today().minusDays(1).toString())), 201);
    String id = added.json().path("id").asString();
    assertThat(ok(official.get("/api/v1/risk-areas/level?regionCode=" + county + "123"), 200).str("level")).isEqualTo("MEDIUM");
    Api.Res ended = ok(official.post("/api/v1/risk-areas/" + id + "/end", Api.obj("to", today().minusDays(1).toString())), 200);
    assertThat(ended.str("to")).isEqualTo(today().minusDays(1).toString());
    assertThat(ok(official.get("/api/v1/risk-areas/level?regionCode=" + county), 200).json().path("level").isString()).isFalse();
    assertThat(official.post("/api/v1/risk-areas/" + id + "/end", Map.of()).code()).isEqualTo("RISK_AREA_ENDED");
    assertThat(jdbc.sql("select string_agg(action, ',' order by id) from audit_log where subject_type = 'risk_area' and subject_id = ?")
        .param(id).query(String.class).single()).isEqualTo("RISK_AREA_SET,RISK_AREA_ENDED");
  }

  // ---------------------------------------------------------------- helpers

  private Person person(Corner c) {
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String id = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "申报人", "districtCode", c.district())).str("personId");
    return new Person(resident, id);
  }

  private String grid(String district) {
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", district)), 201);
    return grid;
  }

  private void declare(Person p, Map<String, Object> body) {
    ok(p.resident().post("/api/v1/resident/persons/" + p.personId() + "/declarations", body), 201);
  }

  private void area(String code, String name, String level, LocalDate from, LocalDate to) {
    ok(staff("OFFICIAL", null, null).post("/api/v1/risk-areas", Api.obj("regionCode", code, "name", name, "level", level,
        "from", from.toString(), "to", to == null ? null : to.toString())), 201);
  }

  private JsonNode code(Person p) {
    return ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200).json();
  }

  private JsonNode awaitReason(Person p, String color, String reasonCode) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode code = code(p);
      return color.equals(code.path("color").asString()) && code.path("reasons").toString().contains(reasonCode);
    });
    for (JsonNode r : code(p).path("reasons")) {
      if (reasonCode.equals(r.path("code").asString())) {
        return r;
      }
    }
    throw new AssertionError("no reason " + reasonCode);
  }

  /** Waits until every event about the person has been handled (their stored code is marked as it will be). */
  private void awaitSettled(Person p) {
    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
        "select count(*) from event_publication where completion_date is null and serialized_event like ?")
        .param("%" + p.personId() + "%").query(Long.class).single() == 0);
  }

  /** The person is sampled alone in a tube now (the clock's now) and the lab releases a negative result. */
  private void negativeTest(Corner c, Person p) {
    long before = negatives(p);
    String appointment = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/appointment"), 200).str("appointmentCode");
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Map.of("appointmentCode", appointment, "confirmRepeat", true)), 201);
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200);
    // (by the database: the resident's page shows only samplings after the person was added, and the clock may stand earlier)
    await().atMost(Duration.ofSeconds(30)).until(() -> negatives(p) > before);
    awaitSettled(p);
  }

  private long negatives(Person p) {
    return jdbc.sql("select count(*) from person_results where person_id = ?::uuid and status = 'NEGATIVE'").param(p.personId())
        .query(Long.class).single();
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), CITY);
  }

  private String ago(Duration d) {
    return OffsetDateTime.ofInstant(clock.instant().minus(d), ZoneOffset.UTC).toString();
  }

  /** A county code of its own per test (GB/T 2260 shape: province, city and county pairs not 00). */
  private static String county() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%02d%02d%02d", 11 + r.nextInt(80), 1 + r.nextInt(98), 1 + r.nextInt(98));
  }
}
