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
 * Early-warning thresholds as audited run-time settings (issue 18 item 7, ADR 0035): a changed
 * threshold is read by the rules at their next evaluation — a lowered one makes a rule fire on a
 * scenario its default leaves quiet, a raised one quiets a scenario its default fires on — bad
 * values are refused naming the setting, every change is recorded old → new with who and when and
 * is in the audit log, and only officials and administrators may read or change them. Each test
 * puts every setting back to its default when it ends (other tests rely on the defaults), and has
 * its own district and day (69–75 days ahead).
 */
class WarningSettingsApiTest extends IntegrationTest {

  @Autowired EarlyWarnings warnings;

  @AfterEach
  void backToDefaults() {
    for (String name : List.of("clusterPositives", "clusterWindowHours", "surgeRatio", "surgeMinVisits", "surgeBaselineDays", "declaredFevers",
        "declaredFeverWindowHours")) {
      ok(admin().delete("/api/v1/early-warnings/settings/" + name), 200);
    }
    clock.reset();
  }

  @Test
  void aLoweredClusterThresholdMakesTwoPositivesFireAndTheChangeIsRecordedAndAudited() {
    moveTo(71, "03:00");
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    String officialName = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", officialName, "password", PASSWORD, "role", "OFFICIAL")), 201);
    Api official = api().as(token(officialName, PASSWORD));
    positive(c, courier, tech, reviewer);
    positive(c, courier, tech, reviewer);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from person_results where status = 'POSITIVE' and site_code = ?")
        .param(c.site()).query(Long.class).single() == 2);
    warnings.evaluate();
    assertThat(open(official, c.district(), "POSITIVE_CLUSTER")).as("two positives under the default of 3: quiet").isEmpty();

    JsonNode view = ok(official.put("/api/v1/early-warnings/settings/clusterPositives", Map.of("value", 2)), 200).json();
    JsonNode setting = setting(view, "clusterPositives");
    assertThat(setting.path("value").asString()).isEqualTo("2");
    assertThat(setting.path("defaultValue").asString()).isEqualTo("3");
    assertThat(setting.path("rule").asString()).isEqualTo("POSITIVE_CLUSTER");
    assertThat(setting.path("changedBy").asString()).isEqualTo(officialName);
    assertThat(Instant.parse(setting.path("changedAt").asString())).isBetween(clock.instant().minusSeconds(60), clock.instant());
    JsonNode change = view.path("changes").get(0);
    assertThat(change.path("name").asString()).isEqualTo("clusterPositives");
    assertThat(change.path("oldValue").asString()).isEqualTo("3");
    assertThat(change.path("newValue").asString()).isEqualTo("2");
    assertThat(change.path("changedBy").asString()).isEqualTo(officialName);
    assertThat(jdbc.sql("""
            select detail from audit_log where action = 'EARLY_WARNING_SETTING_CHANGED' and subject_type = 'early_warning_setting'
            and subject_id = 'clusterPositives' and actor = ? and actor_role = 'OFFICIAL'""")
        .param(officialName).query(String.class).list()).containsExactly("POSITIVE_CLUSTER: 3 → 2");
    // the rules list shows the value in force
    JsonNode rules = ok(official.get("/api/v1/early-warnings/rules"), 200).json();
    assertThat(rules.get(0).path("rule").asString()).isEqualTo("POSITIVE_CLUSTER");
    assertThat(rules.get(0).path("settings").path("clusterPositives").asString()).isEqualTo("2");

    warnings.evaluate();
    List<JsonNode> fired = open(official, c.district(), "POSITIVE_CLUSTER");
    assertThat(fired).as("the same two positives under a threshold of 2: fires").hasSize(1);
    assertThat(fired.get(0).path("reason").asString()).contains("2 positives").contains("(threshold 2)");

    // setting the value in force again records nothing new; back to the default, the rule goes quiet and its episode ends
    ok(official.put("/api/v1/early-warnings/settings/clusterPositives", Map.of("value", "2")), 200);
    assertThat(changesOf("clusterPositives", officialName)).isEqualTo(1);
    JsonNode reset = ok(official.delete("/api/v1/early-warnings/settings/clusterPositives"), 200).json();
    assertThat(setting(reset, "clusterPositives").path("value").asString()).isEqualTo("3");
    assertThat(reset.path("changes").get(0).path("newValue").asString()).isEqualTo("3");
    assertThat(changesOf("clusterPositives", officialName)).isEqualTo(2);
    warnings.evaluate();
    assertThat(open(official, c.district(), "POSITIVE_CLUSTER")).isEmpty();
  }

  @Test
  void aRaisedDeclaredFeverThresholdQuietsThreeFeversThatTheDefaultFiresOn() {
    moveTo(73, "05:00");
    Corner c = corner();
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", c.district())), 201);
    Api official = staff("OFFICIAL", null, null);
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")).toString();
    for (int i = 0; i < 3; i++) {
      String person = Residents.addNewPerson(resident, admin(), Ids.next(), "阈值" + (char) ('甲' + i), c.district());
      ok(resident.post("/api/v1/resident/persons/" + person + "/declarations",
          Api.obj("gridCode", grid, "symptoms", List.of("FEVER"), "onsetDate", today)), 201);
    }
    ok(official.put("/api/v1/early-warnings/settings/declaredFevers", Map.of("value", "4")), 200);
    warnings.evaluate();
    assertThat(open(official, c.district(), "DECLARED_FEVER_CLUSTER")).as("three fevers under a threshold of 4: quiet").isEmpty();

    // a shorter window than the fevers' age quiets it too, however low the count
    ok(official.put("/api/v1/early-warnings/settings/declaredFevers", Map.of("value", "2")), 200);
    clock.advance(Duration.ofHours(2));
    ok(official.put("/api/v1/early-warnings/settings/declaredFeverWindowHours", Map.of("value", 1)), 200);
    warnings.evaluate();
    assertThat(open(official, c.district(), "DECLARED_FEVER_CLUSTER")).as("declared two hours ago, window 1 h: quiet").isEmpty();

    ok(official.delete("/api/v1/early-warnings/settings/declaredFevers"), 200);
    ok(official.delete("/api/v1/early-warnings/settings/declaredFeverWindowHours"), 200);
    warnings.evaluate();
    List<JsonNode> fired = open(official, c.district(), "DECLARED_FEVER_CLUSTER");
    assertThat(fired).as("the defaults (3 in 24 h) fire on the same three").hasSize(1);
    assertThat(fired.get(0).path("reason").asString()).contains("grid " + grid + ": 3 within 24 h (threshold 3)");
  }

  @Test
  void badValuesAreRefusedNamingTheSettingAndChangeNothing() {
    Api official = staff("OFFICIAL", null, null);
    long before = jdbc.sql("select count(*) from early_warning_setting_changes").query(Long.class).single();
    record Bad(String name, Object value) {}
    for (Bad bad : List.of(new Bad("clusterPositives", 1), new Bad("clusterPositives", "drei"), new Bad("clusterPositives", "2.5"),
        new Bad("clusterWindowHours", 0), new Bad("clusterWindowHours", 169), new Bad("surgeRatio", "1.0"), new Bad("surgeRatio", "2.555"),
        new Bad("surgeRatio", "NaN"), new Bad("surgeMinVisits", -3), new Bad("surgeBaselineDays", 29), new Bad("declaredFevers", List.of(3)),
        new Bad("declaredFeverWindowHours", "1e3"))) {
      Api.Res r = official.put("/api/v1/early-warnings/settings/" + bad.name(), Map.of("value", bad.value()));
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.code()).as(bad.toString()).isEqualTo("INVALID_SETTING");
      assertThat(r.str("field")).as(bad.toString()).isEqualTo(bad.name());
    }
    Api.Res unknown = official.put("/api/v1/early-warnings/settings/clusterSize", Map.of("value", 3));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("UNKNOWN_SETTING");
    assertThat(unknown.str("field")).isEqualTo("clusterSize");
    for (Map<String, Object> none : List.<Map<String, Object>>of(Map.of(), Map.of("value", ""))) {
      Api.Res missing = official.put("/api/v1/early-warnings/settings/surgeRatio", none);
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.code()).isEqualTo("FIELD_REQUIRED");
      assertThat(missing.str("field")).isEqualTo("value");
    }
    assertThat(official.delete("/api/v1/early-warnings/settings/nope").code()).isEqualTo("UNKNOWN_SETTING");
    assertThat(jdbc.sql("select count(*) from early_warning_setting_changes").query(Long.class).single()).isEqualTo(before);
    JsonNode view = ok(official.get("/api/v1/early-warnings/settings"), 200).json();
    assertThat(setting(view, "surgeRatio").path("value").asString()).isEqualTo("2.0");
    assertThat(setting(view, "surgeRatio").path("min").asInt()).isEqualTo(1);
    // a good ratio with two decimals is taken as it is
    ok(official.put("/api/v1/early-warnings/settings/surgeRatio", Map.of("value", "2.75")), 200);
    assertThat(setting(ok(official.get("/api/v1/early-warnings/settings"), 200).json(), "surgeRatio").path("value").asString())
        .isEqualTo("2.75");
  }

  @Test
  void onlyOfficialsAndAdministratorsReadOrChangeThresholds() {
    Corner c = corner();
    long before = jdbc.sql("select count(*) from early_warning_setting_changes").query(Long.class).single();
    for (Api other : List.of(c.collector(), staff("COURIER", null, null), staff("LAB_TECH", null, c.lab()), staff("VENUE_MANAGER", null, null),
        Residents.login(api(), admin(), Ids.phone()))) {
      for (Api.Res r : List.of(other.get("/api/v1/early-warnings/settings"),
          other.put("/api/v1/early-warnings/settings/clusterPositives", Map.of("value", 2)),
          other.delete("/api/v1/early-warnings/settings/clusterPositives"))) {
        assertThat(r.status()).isEqualTo(403);
      }
    }
    assertThat(jdbc.sql("select count(*) from early_warning_setting_changes").query(Long.class).single()).isEqualTo(before);
    // an administrator may
    ok(admin().put("/api/v1/early-warnings/settings/surgeMinVisits", Map.of("value", 6)), 200);
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'EARLY_WARNING_SETTING_CHANGED' and subject_id = 'surgeMinVisits' "
        + "and actor = 'admin' and detail = 'FEVER_VISIT_SURGE: 5 → 6'").query(Long.class).single()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- helpers

  private void moveTo(int days, String time) {
    Instant at = LocalDate.now(ZoneOffset.UTC).plusDays(days).atTime(java.time.LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
    clock.reset();
    clock.advance(Duration.between(clock.instant(), at));
  }

  private void positive(Corner c, Api courier, Api tech, Api reviewer) {
    String tube = unique("T");
    Flows.fillTube(c.collector(), tube, 1);
    String run = Flows.positiveUpToRelease(c.collector(), courier, tech, c.lab(), tube, unique("B"), unique("P"));
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
  }

  private static JsonNode setting(JsonNode view, String name) {
    for (JsonNode s : view.path("settings")) {
      if (name.equals(s.path("name").asString())) {
        return s;
      }
    }
    throw new AssertionError("no setting " + name + " in " + view);
  }

  private long changesOf(String name, String by) {
    return jdbc.sql("select count(*) from early_warning_setting_changes where name = ? and changed_by = ?").params(name, by)
        .query(Long.class).single();
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
}
