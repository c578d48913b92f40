package org.epiloop.feverclinic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Designating fever-clinic hospitals (issue 18 item 4, ADR 0035): officials (and administrators)
 * designate a hospital and make its HOSPITAL accounts; an account reports for its own hospital
 * only; undesignating stops new reports (403 HOSPITAL_NOT_DESIGNATED) and new accounts (409);
 * every step is in the audit log.
 */
class HospitalDesignationApiTest extends IntegrationTest {

  @Test
  void anOfficialDesignatesAHospitalMakesItsAccountAndUndesignatingStopsItsReporting() {
    Corner c = corner();
    String officialName = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", officialName, "password", PASSWORD, "role", "OFFICIAL")), 201);
    Api official = api().as(token(officialName, PASSWORD));
    String code = unique("H");
    JsonNode h = ok(official.post("/api/v1/hospitals", Api.obj("code", code, "name", "定点医院 " + code, "districtCode", c.district())), 201)
        .json();
    assertThat(h.path("designated").asBoolean()).isTrue();
    String username = unique("clinic").toLowerCase();
    JsonNode account = ok(official.post("/api/v1/hospitals/" + code + "/accounts", Api.obj("username", username, "password", PASSWORD)), 201)
        .json();
    assertThat(account.path("role").asString()).isEqualTo("HOSPITAL");
    assertThat(account.path("hospitalCode").asString()).isEqualTo(code);
    JsonNode accounts = ok(official.get("/api/v1/hospitals/" + code + "/accounts"), 200).json();
    assertThat(accounts).hasSize(1);
    assertThat(accounts.get(0).path("username").asString()).isEqualTo(username);
    assertThat(accounts.get(0).path("enabled").asBoolean()).isTrue();

    Api clinic = api().as(token(username, PASSWORD));
    String visit = ok(clinic.post("/api/v1/fever-clinic/visits", visit()), 201).str("visitId");

    // without a reason: refused naming it
    Api.Res noReason = official.post("/api/v1/hospitals/" + code + "/undesignation", Map.of());
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.str("field")).isEqualTo("reason");
    JsonNode ended = ok(official.post("/api/v1/hospitals/" + code + "/undesignation", Api.obj("reason", "发热门诊改建")), 200).json();
    assertThat(ended.path("designated").asBoolean()).isFalse();
    assertThat(ended.path("undesignationReason").asString()).isEqualTo("发热门诊改建");

    Api.Res refused = clinic.post("/api/v1/fever-clinic/visits", visit());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("HOSPITAL_NOT_DESIGNATED");
    assertThat(jdbc.sql("select count(*) from fever_visits where hospital_code = ?").param(code).query(Long.class).single()).isEqualTo(1);
    // a visitor reported while it was designated still gets their result entered, and the hospital still reads its visits
    ok(clinic.post("/api/v1/fever-clinic/visits/" + visit + "/test", Api.obj("result", "NEGATIVE")), 200);
    assertThat(ok(clinic.get("/api/v1/fever-clinic/visits"), 200).text()).contains(visit);
    // no new accounts, and ending it twice is a conflict
    Api.Res noAccount = official.post("/api/v1/hospitals/" + code + "/accounts", Api.obj("username", unique("c2").toLowerCase(), "password", PASSWORD));
    assertThat(noAccount.status()).isEqualTo(409);
    assertThat(noAccount.code()).isEqualTo("HOSPITAL_NOT_DESIGNATED");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("c3").toLowerCase(), "password", PASSWORD, "role", "HOSPITAL",
        "hospitalCode", code)).code()).isEqualTo("HOSPITAL_NOT_DESIGNATED");
    Api.Res twice = official.post("/api/v1/hospitals/" + code + "/undesignation", Api.obj("reason", "again"));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.code()).isEqualTo("HOSPITAL_NOT_DESIGNATED");
    JsonNode listed = null;
    for (JsonNode x : ok(official.get("/api/v1/hospitals"), 200).json()) {
      if (code.equals(x.path("code").asString())) {
        listed = x;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.path("designated").asBoolean()).isFalse();

    // designated again, it reports again
    assertThat(ok(admin().post("/api/v1/hospitals/" + code + "/designation", Map.of()), 200).json().path("designated").asBoolean()).isTrue();
    assertThat(admin().post("/api/v1/hospitals/" + code + "/designation", Map.of()).code()).isEqualTo("HOSPITAL_DESIGNATED");
    ok(clinic.post("/api/v1/fever-clinic/visits", visit()), 201);

    assertThat(jdbc.sql("select actor || ' ' || action || ' ' || coalesce(detail, '') from audit_log where subject_type = 'hospital' and subject_id = ? order by id")
        .param(code).query(String.class).list())
        .containsExactly(officialName + " HOSPITAL_DESIGNATED district " + c.district(), officialName + " HOSPITAL_UNDESIGNATED 发热门诊改建",
            "admin HOSPITAL_DESIGNATED designated again");
    assertThat(jdbc.sql("select actor || ' ' || detail from audit_log where action = 'STAFF_USER_CREATED' and subject_id = ?").param(username)
        .query(String.class).single()).isEqualTo(officialName + " role HOSPITAL, hospital " + code);
  }

  @Test
  void anAccountOfHospitalAReportsForNoOtherHospital() {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    String a = unique("H");
    String b = unique("H");
    for (String code : List.of(a, b)) {
      ok(official.post("/api/v1/hospitals", Api.obj("code", code, "name", "医院 " + code, "districtCode", c.district())), 201);
    }
    Api ha = account(official, a);
    Api hb = account(official, b);
    Map<String, Object> forB = new java.util.LinkedHashMap<>(visit());
    forB.put("hospitalCode", b);
    Api.Res refused = ha.post("/api/v1/fever-clinic/visits", forB);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(jdbc.sql("select count(*) from fever_visits where hospital_code in (?, ?)").params(a, b).query(Long.class).single()).isZero();
    Map<String, Object> forA = new java.util.LinkedHashMap<>(visit());
    forA.put("hospitalCode", a);
    ok(ha.post("/api/v1/fever-clinic/visits", forA), 201);
    String bVisit = ok(hb.post("/api/v1/fever-clinic/visits", visit()), 201).str("visitId");
    assertThat(ha.post("/api/v1/fever-clinic/visits/" + bVisit + "/test", Api.obj("result", "POSITIVE")).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(ha.get("/api/v1/fever-clinic/visits?hospitalCode=" + b).code()).isEqualTo("OUT_OF_SCOPE");
    // a hospital's account manages no hospitals, accounts or designations
    for (Api.Res r : List.of(ha.post("/api/v1/hospitals", Api.obj("code", unique("H"), "name", "x", "districtCode", c.district())),
        ha.post("/api/v1/hospitals/" + b + "/undesignation", Api.obj("reason", "x")),
        ha.post("/api/v1/hospitals/" + a + "/accounts", Api.obj("username", unique("x").toLowerCase(), "password", PASSWORD)),
        c.collector().post("/api/v1/hospitals/" + a + "/accounts", Api.obj("username", unique("x").toLowerCase(), "password", PASSWORD)),
        c.collector().get("/api/v1/hospitals/" + a + "/accounts"))) {
      assertThat(r.status()).isEqualTo(403);
    }
    Api.Res unknown = official.post("/api/v1/hospitals/NOPE-" + unique("X") + "/undesignation", Api.obj("reason", "x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("HOSPITAL_NOT_FOUND");
    assertThat(official.get("/api/v1/hospitals/NOPE-" + unique("X") + "/accounts").code()).isEqualTo("HOSPITAL_NOT_FOUND");
  }

  private Api account(Api official, String hospital) {
    String name = unique("clinic").toLowerCase();
    ok(official.post("/api/v1/hospitals/" + hospital + "/accounts", Api.obj("username", name, "password", PASSWORD)), 201);
    return api().as(token(name, PASSWORD));
  }

  private static Map<String, Object> visit() {
    return Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "就诊者", "temperature", 38.2);
  }
}
