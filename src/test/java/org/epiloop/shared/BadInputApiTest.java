package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.RawHttp;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13: the five causes of a 500 that fuzzing found, and the loose coercion, each as the 400
 * problem it is now. Raw HTTP where a normal client would refuse to send the request.
 */
class BadInputApiTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aControlCharacterInTextIsRefusedNamingTheField() {
    // unauthenticated: the NUL reached PostgreSQL and failed the statement
    expect(api().post("/api/v1/auth/token", "{\"username\":\"a\\u0000b\",\"password\":\"x\"}"), 400, "INVALID_CHARACTER", "username");
    expect(api().post("/api/v1/auth/token", "{\"username\":\"admin\",\"password\":\"\\ud800\"}"), 400, "INVALID_CHARACTER", "password");
    Corner c = corner();
    // one line only, except in free text
    expect(admin().post("/api/v1/districts", Map.of("code", unique("D"), "name", "区\n二")), 400, "INVALID_CHARACTER", "name");
    expect(c.collector().post("/api/v1/tubes", Map.of("tubeCode", "T\u001b[2J", "capacity", 5)), 400, "INVALID_CHARACTER", "tubeCode");
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String person = Residents.addNewPerson(resident, admin(), Ids.next(), "控制符", c.district());
    Api official = staff("OFFICIAL", null, null);
    ok(official.post("/api/v1/health-codes/overrides",
        Api.obj("personId", person, "color", "YELLOW", "reason", "复查\nRe-test\tpending", "hours", 1)), 200);
    // the reason is stored in the code's reasons (JSON the application reads back): still one rule
    assertThat(ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200).text()).contains("Re-test\\tpending");
    expect(official.post("/api/v1/health-codes/overrides",
        Api.obj("personId", person, "color", "YELLOW", "reason", "a\u0000b", "hours", 1)), 400, "INVALID_CHARACTER", "reason");
    // the same rule for query parameters and path variables
    expect(official.get("/api/v1/recalls?siteCode=a%00b"), 400, "INVALID_CHARACTER", "siteCode");
    expect(official.get("/api/v1/recalls?siteCode=a%0Ab"), 400, "INVALID_CHARACTER", "siteCode");
    expect(c.collector().get("/api/v1/tubes/T%01x"), 400, "INVALID_CHARACTER", "tubeCode");
  }

  @Test
  void aMalformedPercentEscapeIsRefused() throws Exception {
    RawHttp.Response r = raw("GET", "/api/v1/sites/nearby?%zz=1&latitude=1&longitude=1", List.of(), null);
    expect(r, 400, "MALFORMED_QUERY", null);
    expect(raw("GET", "/api/v1/sites/nearby?latitude=1&longitude=%C0%AF", List.of(), null), 400, null, null);
  }

  @Test
  void aBlankUuidPathSegmentIsRefusedNamingTheParameter() {
    Api resident = Residents.login(api(), admin(), Ids.phone());
    expect(resident.get("/api/v1/resident/persons/%20/results"), 400, "INVALID_PARAMETER", "personId");
    expect(resident.get("/api/v1/resident/persons/not-a-uuid/results"), 400, "INVALID_PARAMETER", "personId");
  }

  @Test
  void theFirewallsAndTomcatsRejectionsAreProblems() throws Exception {
    Corner c = corner();
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Map.of("tubeCode", tube, "capacity", 5)), 201);
    String token = token(collectorName(c), PASSWORD);
    // a non-ASCII Idempotency-Key: the firewall refuses the header when the controller reads it
    RawHttp.Response key = raw("POST", "/api/v1/tubes/" + tube + "/bindings",
        List.of(Map.entry("Authorization", "Bearer " + token), Map.entry("Content-Type", "application/json"),
            Map.entry("Idempotency-Key", "ключ")), "{}".getBytes(StandardCharsets.UTF_8));
    expect(key, 400, "REQUEST_REJECTED", null);
    // the firewall refuses a path before any controller
    expect(raw("GET", "/api/v1/..;/districts", List.of(), null), 400, "REQUEST_REJECTED", null);
    expect(raw("GET", "/api/v1/tubes/%2e%2e/x", List.of(), null), 400, "REQUEST_REJECTED", null);
    // Tomcat refuses these before the application: its answer is a problem too, not an HTML page
    expect(raw("GET", "/api/v1/tubes/a%00b", List.of(), null), 400, "BAD_REQUEST", null);
    expect(raw("GET", "/api/v1/sites/nearby?a=" + "x".repeat(1 << 16), List.of(), null), 400, "BAD_REQUEST", null);
    // a form body is not read (the form filter is off), so a malformed one is not a 500
    RawHttp.Response form = raw("PUT", "/api/v1/health-codes/rules/x",
        List.of(Map.entry("Authorization", "Bearer " + token("admin", ADMIN_PASSWORD)),
            Map.entry("Content-Type", "application/x-www-form-urlencoded")), "a=%zz".getBytes(StandardCharsets.UTF_8));
    expect(form, 415, "UNSUPPORTED_MEDIA_TYPE", null);
  }

  @Test
  void aNullInAListIsRefusedNamingItsPlace() {
    Api official = staff("OFFICIAL", null, null);
    expect(official.post("/api/v1/results/lookup", "{\"persons\":[null]}"), 400, "MALFORMED_REQUEST", "persons[0]");
    expect(official.post("/api/v1/results/lookup", "{\"persons\":[{\"idType\":\"CN_ID\",\"idNumber\":7}]}"), 400,
        "MALFORMED_REQUEST", "persons[0].idNumber");
  }

  @Test
  void scalarsAreNotCoerced() {
    Corner c = corner();
    // was: a district named "true", a tube named "Infinity"
    expect(admin().post("/api/v1/districts", "{\"code\":true,\"name\":\"x\"}"), 400, "MALFORMED_REQUEST", "code");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":1e309,\"capacity\":5}"), 400, "MALFORMED_REQUEST", "tubeCode");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":12345,\"capacity\":5}"), 400, "MALFORMED_REQUEST", "tubeCode");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":\"" + unique("T") + "\",\"capacity\":\"5\"}"), 400,
        "MALFORMED_REQUEST", "capacity");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":\"" + unique("T") + "\",\"capacity\":5.5}"), 400,
        "MALFORMED_REQUEST", "capacity");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":\"" + unique("T") + "\",\"capacity\":\"\"}"), 400,
        "MALFORMED_REQUEST", "capacity");
    expect(c.collector().post("/api/v1/tubes", "{\"tubeCode\":\"" + unique("T") + "\",\"capacity\":true}"), 400,
        "MALFORMED_REQUEST", "capacity");
    expect(staff("COURIER", null, null).post("/api/v1/boxes/" + unique("B") + "/locations", "{\"latitude\":\"33.9\",\"longitude\":118}"),
        400, "MALFORMED_REQUEST", "latitude");
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Map.of("tubeCode", tube, "capacity", 5)), 201);
    expect(c.collector().scan("/api/v1/tubes/" + tube + "/bindings",
        "{\"idType\":\"CN_ID\",\"idNumber\":\"" + Ids.next() + "\",\"name\":\"类型\",\"confirmRepeat\":\"true\"}"), 400,
        "MALFORMED_REQUEST", "confirmRepeat");
    // an integer where a decimal is expected is a number all the same
    ok(admin().post("/api/v1/sites", Map.of("code", unique("S"), "name", "整数", "districtCode", c.district(), "latitude", 34,
        "longitude", 118)), 201);
  }

  @Test
  void aPasswordBcryptWouldTruncateIsRefused() {
    expect(admin().post("/api/v1/admin/users", Map.of("username", unique("long").toLowerCase(), "password", "x".repeat(73),
        "role", "OFFICIAL")), 400, "PASSWORD_TOO_LONG", "password");
  }

  private String collectorName(Corner c) {
    String name = unique("col").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "COLLECTOR",
        "siteCode", c.site())), 201);
    return name;
  }

  private RawHttp.Response raw(String method, String target, List<Map.Entry<String, String>> headers, byte[] body)
      throws Exception {
    return RawHttp.send(port, method, target, headers, body);
  }

  private static void expect(Api.Res r, int status, String code, String field) {
    assertProblem(r.status(), r.contentType(), r.text(), status, code, field);
  }

  private static void expect(RawHttp.Response r, int status, String code, String field) {
    assertProblem(r.status(), r.header("Content-Type"), r.text(), status, code, field);
  }

  private static void assertProblem(int actualStatus, String contentType, String text, int status, String code, String field) {
    assertThat(actualStatus).as(text).isEqualTo(status);
    assertThat(contentType).as(text).startsWith("application/problem+json");
    JsonNode p = JSON.readTree(text);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("code").isString()).as(text).isTrue();
    if (code != null) {
      assertThat(p.path("code").asString()).as(text).isEqualTo(code);
    }
    if (field != null) {
      assertThat(p.path("field").asString()).as(text).isEqualTo(field);
    }
    assertThat(text).doesNotContain("Exception").doesNotContain(".java:");
  }
}
