package org.epiloop.feverclinic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Fever clinics through HTTP (issue 18 item 4, M3): hospitals report visits for their own
 * hospital only, officials see visits per hour and the exposed visitors, and a visitor not
 * tested within the configured hours (4 h) raises an alert, once. The clock is moved onto days
 * 61–65 days ahead, which no other test uses.
 */
class FeverClinicApiTest extends IntegrationTest {

  @Autowired FeverVisits visits;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void anUntestedVisitorRaisesAnAlertAfterFourHoursAndATestedOneDoesNot() {
    moveTo(61, "01:10");
    Corner c = corner();
    String hospital = hospital(c.district());
    Api h = hospitalStaff(hospital);
    String untestedId = Ids.next();
    JsonNode untested = ok(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", untestedId, "name", "发热甲",
        "temperature", 38.6, "symptoms", List.of("FEVER", "COUGH"), "tested", false)), 201).json();
    JsonNode tested = ok(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "发热乙",
        "temperature", 38.1, "symptoms", List.of("FEVER"), "tested", true)), 201).json();
    assertThat(untested.path("nameMasked").asString()).isEqualTo("发*甲");
    assertThat(untested.path("idMasked").asString()).doesNotContain(untestedId);
    assertThat(untested.path("testedAt").isString()).isFalse();
    assertThat(tested.path("testedAt").isString()).isTrue();
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'FEVER_VISIT_REPORTED' and subject_id = ?")
        .param(untested.path("personId").asString()).query(Long.class).single()).isEqualTo(1);

    String subject = c.district() + " / " + hospital + " / " + untested.path("visitId").asString().substring(0, 8);
    visits.raiseUntested();
    assertThat(alertsWith(subject)).as("not yet 4 hours").isZero();
    clock.advance(Duration.ofHours(3).plusMinutes(59));
    visits.raiseUntested();
    assertThat(alertsWith(subject)).as("3 h 59 min is in time").isZero();
    clock.advance(Duration.ofMinutes(2));
    visits.raiseUntested();
    visits.raiseUntested();
    assertThat(alertsWith(subject)).as("once, however often the scan runs").isEqualTo(1);
    JsonNode alert = officialAlert(subject);
    assertThat(alert.path("kind").asString()).isEqualTo("FEVER_VISIT_UNTESTED");
    assertThat(alert.path("detail").asString()).contains("not tested within 4 h").contains(hospital).doesNotContain("发热甲").doesNotContain("发*甲");
    assertThat(jdbc.sql("select count(*) from alerts where kind = 'FEVER_VISIT_UNTESTED' and subject like ?")
        .param(c.district() + " / " + hospital + " / " + tested.path("visitId").asString().substring(0, 8)).query(Long.class).single())
        .as("the tested visitor raises none").isZero();

    // the officials' screen: the untested visitor is listed, both visits count in their hour
    JsonNode monitor = ok(staff("OFFICIAL", null, null).get("/api/v1/fever-clinic/monitor?districtCode=" + c.district()), 200).json();
    assertThat(monitor.path("visits").asInt()).isEqualTo(2);
    assertThat(monitor.path("untested").size()).isEqualTo(1);
    assertThat(monitor.path("untested").get(0).path("visitId").asString()).isEqualTo(untested.path("visitId").asString());
    assertThat(monitor.path("perHour").size()).isEqualTo(1);
    assertThat(monitor.path("perHour").get(0).path("visits").asInt()).isEqualTo(2);
    assertThat(java.time.OffsetDateTime.parse(monitor.path("perHour").get(0).path("hour").asString()).toInstant())
        .isEqualTo(java.time.LocalDate.now(ZoneOffset.UTC).plusDays(61).atTime(1, 0).toInstant(ZoneOffset.UTC));
    assertThat(monitor.path("hospitals").get(0).path("febrile").asInt()).isEqualTo(2);

    // the hospital takes the test late: the alert is resolved, the visit leaves the queue; then the result
    assertThat(ok(h.get("/api/v1/fever-clinic/visits?untested=true"), 200).text()).contains(untested.path("visitId").asString());
    ok(h.post("/api/v1/fever-clinic/visits/" + untested.path("visitId").asString() + "/test", java.util.Map.of()), 200);
    assertThat(jdbc.sql("select state from alerts where kind = 'FEVER_VISIT_UNTESTED' and subject = ?").param(subject).query(String.class)
        .single()).isEqualTo("RESOLVED");
    assertThat(ok(h.get("/api/v1/fever-clinic/visits?untested=true"), 200).text()).doesNotContain(untested.path("visitId").asString());
    assertThat(h.post("/api/v1/fever-clinic/visits/" + untested.path("visitId").asString() + "/test", Api.obj("result", "MAYBE")).str("field"))
        .isEqualTo("result");
    JsonNode result = ok(h.post("/api/v1/fever-clinic/visits/" + untested.path("visitId").asString() + "/test",
        Api.obj("result", "NEGATIVE")), 200).json();
    assertThat(result.path("result").asString()).isEqualTo("NEGATIVE");
    assertThat(result.path("resultSource").asString()).isEqualTo("HOSPITAL");
  }

  @Test
  void officialsSeeVisitorsWithARiskAreaArrivalOrAContactByTheLevelInForceAtTheVisit() {
    moveTo(63, "03:20");
    Corner c = corner();
    String hospital = hospital(c.district());
    Api h = hospitalStaff(hospital);
    Api official = staff("OFFICIAL", null, null);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
    String region = "42" + (1000 + (int) (Math.random() * 8999));
    ok(official.post("/api/v1/risk-areas", Api.obj("regionCode", region, "name", "风险区 " + region, "level", "HIGH",
        "from", today.minusDays(10).toString())), 201);
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", c.district())), 201);
    // a resident declared an arrival from that region two days ago; another a contact with a case
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String arrivedId = Ids.next();
    String arrived = Residents.addNewPerson(resident, admin(), arrivedId, "来客甲", c.district());
    ok(resident.post("/api/v1/resident/persons/" + arrived + "/declarations", Api.obj("gridCode", grid, "fromRegion", region,
        "arrivedAt", OffsetDateTime.ofInstant(clock.instant().minus(Duration.ofDays(2)), ZoneOffset.UTC).toString(), "transport", "TRAIN")), 201);
    String contactId = Ids.next();
    String contact = Residents.addNewPerson(resident, admin(), contactId, "密接乙", c.district());
    ok(resident.post("/api/v1/resident/persons/" + contact + "/declarations", Api.obj("gridCode", grid, "caseContact", true,
        "contactDate", today.minusDays(1).toString())), 201);

    ok(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", arrivedId, "name", "来客甲", "temperature", 38.2,
        "tested", true)), 201);
    ok(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", contactId, "name", "密接乙", "temperature", 37.9,
        "tested", true)), 201);
    ok(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "普通丙", "temperature", 37.5,
        "tested", true)), 201);
    // a visit by the same document under another name is refused, like at a sampling site
    assertThat(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", arrivedId, "name", "别人", "temperature", 38.2))
        .code()).isEqualTo("NAME_MISMATCH");
    assertThat(h.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "丁", "temperature", 51))
        .str("field")).isEqualTo("temperature");

    JsonNode monitor = ok(official.get("/api/v1/fever-clinic/monitor?districtCode=" + c.district()), 200).json();
    assertThat(monitor.path("visits").asInt()).isEqualTo(3);
    assertThat(monitor.path("flagged").size()).isEqualTo(2);
    JsonNode byArrival = null;
    JsonNode byContact = null;
    for (JsonNode v : monitor.path("flagged")) {
      if (v.path("personId").asString().equals(arrived)) {
        byArrival = v;
      }
      if (v.path("personId").asString().equals(contact)) {
        byContact = v;
      }
    }
    assertThat(byArrival.path("riskLevel").asString()).isEqualTo("HIGH");
    assertThat(byArrival.path("riskRegion").asString()).isEqualTo(region);
    assertThat(byArrival.path("nameMasked").asString()).isEqualTo("来*甲");
    assertThat(byContact.path("caseContact").asBoolean()).isTrue();
    assertThat(byContact.path("riskLevel").isString()).isFalse();
    assertThat(monitor.path("hospitals").get(0).path("flagged").asInt()).isEqualTo(2);
  }

  @Test
  void aHospitalActsOnlyForItsOwnHospital() {
    moveTo(65, "05:40");
    Corner c = corner();
    String a = hospital(c.district());
    String b = hospital(c.district());
    Api ha = hospitalStaff(a);
    Api hb = hospitalStaff(b);
    String visit = ok(ha.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "甲医院病人",
        "temperature", 38.0)), 201).str("visitId");
    Api.Res foreign = hb.post("/api/v1/fever-clinic/visits/" + visit + "/test", Api.obj("result", "POSITIVE"));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(hb.get("/api/v1/fever-clinic/visits?hospitalCode=" + a).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(ok(hb.get("/api/v1/fever-clinic/visits"), 200).text()).doesNotContain(visit);
    assertThat(ok(ha.get("/api/v1/fever-clinic/visits"), 200).text()).contains(visit);
    assertThat(hb.get("/api/v1/fever-clinic/monitor").status()).isEqualTo(403);
    assertThat(jdbc.sql("select tested_at is null and result is null from fever_visits where id = ?::uuid").param(visit)
        .query(Boolean.class).single()).isTrue();
    // an account of the role needs its hospital
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("h").toLowerCase(), "password", PASSWORD, "role", "HOSPITAL"))
        .str("field")).isEqualTo("hospitalCode");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("h").toLowerCase(), "password", PASSWORD, "role", "HOSPITAL",
        "hospitalCode", "NOPE-" + unique("X"))).code()).isEqualTo("UNKNOWN_HOSPITAL");
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

  private String hospital(String district) {
    String code = unique("H");
    ok(admin().post("/api/v1/hospitals", Api.obj("code", code, "name", "定点医院 " + code, "districtCode", district)), 201);
    return code;
  }

  private Api hospitalStaff(String hospital) {
    String name = unique("fever").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "HOSPITAL", "hospitalCode", hospital)), 201);
    return api().as(token(name, PASSWORD));
  }

  private long alertsWith(String subject) {
    return jdbc.sql("select count(*) from alerts where kind = 'FEVER_VISIT_UNTESTED' and subject = ?").param(subject).query(Long.class).single();
  }

  private JsonNode officialAlert(String subject) {
    for (JsonNode a : ok(staff("OFFICIAL", null, null).get("/api/v1/dashboard/alerts"), 200).json()) {
      if (subject.equals(a.path("subject").asString())) {
        return a;
      }
    }
    throw new AssertionError("no alert " + subject);
  }
}
