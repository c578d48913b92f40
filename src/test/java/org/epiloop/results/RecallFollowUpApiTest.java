package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.epiloop.directory.Directory;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * L5 follow-up over the API: a positive pool's members are texted once each (redelivery sends
 * nothing more), listed on the recall board with their state, refused in a pooled tube, retested
 * singly; one never retested becomes overdue and raises RECALL_OVERDUE; an official reads a
 * person's history with a reason that is audited.
 */
class RecallFollowUpApiTest extends IntegrationTest {

  @Autowired Recalls recalls;

  @Test
  void aPositivePoolIsTextedListedRetestedAndTheUntestedBecomeOverdue() {
    Corner c = corner();
    String phone = Ids.phone();
    Api resident = Residents.login(api(), admin(), phone);
    String holderId = Ids.next();
    String childId = Ids.next();
    String strangerId = Ids.next();
    Residents.addNewPerson(resident, admin(), holderId, "召回甲", c.district());
    Residents.addNewPerson(resident, admin(), childId, "召回乙", c.district());

    // a pool of three: the holder, the child (on the same account) and someone with no phone at all
    String pool = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", pool, "capacity", 5)), 201);
    Map<String, String> names = Map.of(holderId, "召回甲", childId, "召回乙", strangerId, "召回丙");
    for (String id : List.of(holderId, childId, strangerId)) {
      ok(c.collector().scan("/api/v1/tubes/" + pool + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id, "name", names.get(id))), 201);
    }
    ok(c.collector().post("/api/v1/tubes/" + pool + "/seal", Map.of()), 200);
    Api tech = staff("LAB_TECH", null, c.lab());
    String box = unique("B");
    Flows.ship(c.collector(), staff("COURIER", null, null), box, c.lab(), List.of(pool));
    Flows.receive(tech, c.lab(), box, List.of(pool));
    Map<String, String> layout = Plates.layout(List.of(pool));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(pool), false)), 200);
    ok(staff("LAB_REVIEWER", null, c.lab()).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);

    // ---- the family's phone gets one notice per member, naming the site and the time to come by (no hours known)
    await().atMost(Duration.ofSeconds(30)).until(() -> notices(phone).size() == 2);
    assertThat(notices(phone)).allSatisfy(text -> assertThat(text).contains("采样点 " + c.site()).contains("单管复检")
        .contains("single-tube retest").contains("请于").contains("Please come to"));
    assertThat(String.join("\n", notices(phone))).contains("召*甲").contains("召*乙");
    assertThat(ok(admin().get("/api/v1/admin/sms-outbox?phone=" + phone), 200).text())
        .as("the recall notice replaces the result message").doesNotContain("is out");

    // ---- redelivered, the event texts nobody again
    List<UUID> bindings = jdbc.sql("select binding_id from recalls where tube_code = ?").param(pool).query(UUID.class).list();
    assertThat(bindings).hasSize(3);
    assertThat(recalls.notify(bindings)).isZero();
    assertThat(notices(phone)).hasSize(2);

    // ---- the board: three open, two notified, the third has no phone
    Api official = staff("OFFICIAL", null, null);
    JsonNode board = ok(c.collector().get("/api/v1/recalls/board?siteCode=" + c.site()), 200).json();
    assertThat(board.path("counts").path("open").asInt()).isEqualTo(3);
    assertThat(board.path("counts").path("notified").asInt()).isEqualTo(2);
    assertThat(board.path("overdueAfterMinutes").asLong()).isEqualTo(360);
    assertThat(board.path("items").valueStream().map(i -> i.path("state").asString()).toList())
        .containsExactlyInAnyOrder("NOTIFIED", "NOTIFIED", "RECALLED");
    assertThat(board.toString()).doesNotContain(holderId).doesNotContain("召回甲");
    assertThat(ok(official.get("/api/v1/recalls/board?districtCode=" + c.district()), 200).json().path("items").size()).isEqualTo(3);
    assertThat(corner().collector().get("/api/v1/recalls/board?siteCode=" + c.site()).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(c.collector().get("/api/v1/recalls/board?districtCode=" + c.district()).code()).isEqualTo("OUT_OF_SCOPE");
    Api.Res neither = official.get("/api/v1/recalls/board");
    assertThat(neither.status()).isEqualTo(400);
    assertThat(neither.str("field")).isEqualTo("siteCode");
    Api.Res unknown = official.get("/api/v1/recalls/board?siteCode=" + unique("S"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.str("field")).isEqualTo("siteCode");

    // ---- a recalled person is refused in a pooled tube, and retested in a single one
    String next = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", next, "capacity", 10)), 201);
    Api.Res pooled = c.collector().scan("/api/v1/tubes/" + next + "/bindings", Api.obj("idType", "CN_ID", "idNumber", holderId, "name", "召回甲"));
    assertThat(pooled.status()).isEqualTo(409);
    assertThat(pooled.code()).isEqualTo("PERSON_RECALLED");
    for (String id : List.of(holderId, childId)) {
      String single = unique("T");
      ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", single, "capacity", 1)), 201);
      ok(c.collector().scan("/api/v1/tubes/" + single + "/bindings",
          Api.obj("idType", "CN_ID", "idNumber", id, "name", names.get(id), "confirmRepeat", true)), 201);
    }
    board = ok(c.collector().get("/api/v1/recalls/board?siteCode=" + c.site()), 200).json();
    assertThat(board.path("counts").path("retested").asInt()).isEqualTo(2);

    // ---- seven hours on, the one never retested is overdue, and the command centre says so
    clock.advance(Duration.ofHours(7));
    board = ok(c.collector().get("/api/v1/recalls/board?siteCode=" + c.site()), 200).json();
    assertThat(board.path("counts").path("overdue").asInt()).isEqualTo(1);
    assertThat(board.path("items").get(0).path("overdue").asBoolean()).as("overdue first").isTrue();
    assertThat(board.path("items").get(0).path("state").asString()).isEqualTo("RECALLED");
    JsonNode alert = ok(official.get("/api/v1/dashboard/alerts"), 200).json().valueStream()
        .filter(a -> a.path("kind").asString().equals("RECALL_OVERDUE") && a.path("subject").asString().equals(c.site()))
        .findFirst().orElseThrow();
    assertThat(alert.path("detail").asString()).startsWith("1 recalled person(s)");

    // ---- what happened to the holder: two samplings, one recall; the reason is audited
    Api.Res noReason = official.post("/api/v1/persons/history", Api.obj("idType", "CN_ID", "idNumber", holderId));
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.str("field")).isEqualTo("reason");
    JsonNode history = ok(official.post("/api/v1/persons/history", Api.obj("idType", "CN_ID", "idNumber", holderId,
        "reason", "复检跟踪 recall follow-up")), 200).json();
    assertThat(history.path("nameMasked").asString()).isEqualTo("召*甲");
    assertThat(history.path("samplings").size()).isEqualTo(2);
    assertThat(history.path("samplings").get(1).path("status").asString()).isEqualTo("RECALLED");
    assertThat(history.path("samplings").get(0).path("pooled").asBoolean()).isFalse();
    assertThat(history.path("recalls").get(0).path("notifiedPhones").asInt()).isEqualTo(1);
    assertThat(jdbc.sql("select detail from audit_log where action = 'PERSON_HISTORY_READ' order by id desc limit 1")
        .query(String.class).single()).isEqualTo("复检跟踪 recall follow-up");
    assertThat(official.post("/api/v1/persons/history", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "reason", "x")).code())
        .isEqualTo("PERSON_NOT_FOUND");
  }

  @Test
  void theNoticeNamesTheSiteAndItsHoursWhenTheDirectoryHasThem() {
    Directory.Site site = new Directory.Site("S-1", "东关采样点", "D-1", 33.9, 118.2, "08:00–20:00");
    String text = Recalls.noticeText("张*三", "POOL_POSITIVE", "S-1", site, Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(text).contains("东关采样点 (S-1)").contains("开放时间 08:00–20:00").contains("open 08:00–20:00")
        .contains("不代表本人阳性").doesNotContain("请于");
    String noHours = Recalls.noticeText("张*三", "INVALID", "S-1", null, Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(noHours).contains("请于 12-07 18:00 前到达").contains("by 12-07 18:00").contains("no valid result");
  }

  private List<String> notices(String phone) {
    return ok(admin().get("/api/v1/admin/sms-outbox?phone=" + phone), 200).json().valueStream()
        .map(m -> m.path("text").asString()).filter(t -> t.contains("复检通知")).toList();
  }
}
