package org.epiloop.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Plates;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Grid follow-up through HTTP (issue 18 item 3): tasks for the right workers only, visits, home observation, escalation. */
class FollowUpApiTest extends IntegrationTest {

  @Autowired FollowUps followUps;
  @Autowired org.epiloop.healthcode.HealthCodes codes;

  record Person(Api resident, String personId) {}

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aDeclarationMakesOneTaskForTheWorkersOfItsGridAndNoOneElse() {
    Corner c = corner();
    String g1 = grid(c.district());
    String g2 = grid(c.district());
    Api w1 = worker(g1);
    Api w1b = worker(g1);
    Api w2 = worker(g2);
    Person p = person(c);
    String declaration = ok(p.resident().post("/api/v1/resident/persons/" + p.personId() + "/declarations",
        Api.obj("gridCode", g1, "address", "幸福路 1 号 3 单元", "fromRegion", "420106", "arrivedAt", ago(Duration.ofHours(3)),
            "transport", "TRAIN")), 201).str("declarationId");

    JsonNode task = awaitTask(w1, declaration);
    assertThat(task.path("kind").asString()).isEqualTo("ARRIVAL");
    assertThat(task.path("gridCode").asString()).isEqualTo(g1);
    assertThat(task.path("nameMasked").asString()).isEqualTo("随*人");
    assertThat(task.path("detail").asString()).contains("420106").contains("TRAIN").doesNotContain("幸福路");
    assertThat(OffsetDateTime.parse(task.path("dueAt").asString()).toInstant())
        .isEqualTo(OffsetDateTime.parse(task.path("createdAt").asString()).toInstant().plus(Duration.ofHours(12)));
    // every worker of that grid sees it, a worker of another grid does not, and may not open or work it
    assertThat(ok(w1b.get("/api/v1/grid/tasks"), 200).text()).contains(declaration);
    assertThat(ok(w2.get("/api/v1/grid/tasks"), 200).text()).doesNotContain(declaration);
    String taskId = task.path("taskId").asString();
    assertThat(w2.get("/api/v1/grid/tasks/" + taskId).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(w2.post("/api/v1/grid/tasks/" + taskId + "/follow-ups", Api.obj("method", "CALL", "reached", true)).status()).isEqualTo(403);
    assertThat(w2.get("/api/v1/grid/tasks?gridCode=" + g1).status()).isEqualTo(403);
    assertThat(jdbc.sql("select count(*) from follow_up_tasks where declaration_id = ?::uuid").param(declaration).query(Long.class).single())
        .isEqualTo(1);
    // officials see a district's tasks
    assertThat(ok(staff("OFFICIAL", null, null).get("/api/v1/grid/tasks?districtCode=" + c.district()), 200).text()).contains(declaration);
    // the address is kept only encrypted
    assertThat(jdbc.sql("select address_enc is not null and position(convert_to('幸福路', 'UTF8') in address_enc) = 0 from declarations where id = ?::uuid")
        .param(declaration).query(Boolean.class).single()).isTrue();
  }

  @Test
  void aWorkerUploadsAHighRiskPersonInTheirGridOnlyWhichMakesATaskAndAColour() {
    Corner c = corner();
    String g1 = grid(c.district());
    String g2 = grid(c.district());
    Api w1 = worker(g1);
    String id = Ids.next();
    Map<String, Object> body = Api.obj("idType", "CN_ID", "idNumber", id, "name", "上报人", "gridCode", g2, "caseContact", true,
        "contactDate", LocalDate.now(clock.withZone(ZoneId.of("Asia/Shanghai"))).toString());
    assertThat(w1.post("/api/v1/grid/uploads", body).code()).isEqualTo("OUT_OF_SCOPE");
    body.put("gridCode", g1);
    Api.Res uploaded = ok(w1.post("/api/v1/grid/uploads", body), 201);
    JsonNode task = awaitTask(w1, uploaded.str("declarationId"));
    assertThat(task.path("kind").asString()).isEqualTo("CLOSE_CONTACT");
    String person = uploaded.str("personId");
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'HIGH_RISK_PERSON_UPLOADED' and subject_id = ?").param(person)
        .query(Long.class).single()).isEqualTo(1);
    // by rule, a colour: the grid worker's report, with its reason
    await().atMost(Duration.ofSeconds(20)).until(() -> codes.current(java.util.UUID.fromString(person)).reasons().stream()
        .anyMatch(r -> r.code().equals("GRID_REPORTED")));
    var code = codes.current(java.util.UUID.fromString(person));
    assertThat(code.color().name()).isEqualTo("YELLOW");
    assertThat(code.reasons().get(0).text()).contains("grid worker");
  }

  @Test
  void aWorkerRecordsCallsAndAVisitAndPlacesThePersonUnderHomeObservationWithADiary() {
    Corner c = corner();
    String g = grid(c.district());
    Api w = worker(g);
    Person p = person(c);
    String declaration = ok(p.resident().post("/api/v1/resident/persons/" + p.personId() + "/declarations",
        Api.obj("gridCode", g, "symptoms", List.of("FEVER"), "onsetDate", today().toString())), 201).str("declarationId");
    String taskId = awaitTask(w, declaration).path("taskId").asString();
    assertThat(awaitTask(w, declaration).path("kind").asString()).isEqualTo("DECLARATION");
    JsonNode opened = ok(w.get("/api/v1/grid/tasks/" + taskId), 200).json();
    assertThat(opened.path("phone").asString()).isEqualTo(Residents.phoneOf(p.resident()));
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'PERSON_READ' and subject_id = ? and detail like ?")
        .params(p.personId(), "%" + taskId + "%").query(Long.class).single()).isEqualTo(1);

    assertThat(w.post("/api/v1/grid/tasks/" + taskId + "/follow-ups", Api.obj("method", "KNOCK", "reached", true)).str("field"))
        .isEqualTo("method");
    JsonNode call = ok(w.post("/api/v1/grid/tasks/" + taskId + "/follow-ups", Api.obj("method", "CALL", "reached", false, "note", "无人接听")), 200)
        .json();
    assertThat(call.path("task").path("status").asString()).isEqualTo("OPEN");
    // the visit happens yesterday (the clock moved back a day): two days of observation end today
    clock.advance(Duration.ofDays(-1));
    JsonNode visit = ok(w.post("/api/v1/grid/tasks/" + taskId + "/follow-ups",
        Api.obj("method", "VISIT", "reached", true, "note", "已上门，体温 37.8", "observeDays", 2)), 200).json();
    assertThat(visit.path("task").path("status").asString()).isEqualTo("DONE");
    assertThat(visit.path("contacts").size()).isEqualTo(2);
    assertThat(w.post("/api/v1/grid/tasks/" + taskId + "/follow-ups", Api.obj("method", "CALL", "reached", true)).code()).isEqualTo("TASK_DONE");
    JsonNode observation = ok(w.get("/api/v1/grid/tasks"), 200).json();
    JsonNode home = null;
    for (JsonNode t : observation) {
      if ("HOME_OBSERVATION".equals(t.path("kind").asString()) && t.path("nameMasked").asString().equals("随*人")) {
        home = t;
      }
    }
    assertThat(home).isNotNull();
    String homeId = home.path("taskId").asString();
    assertThat(w.post("/api/v1/grid/tasks/" + homeId + "/diary", Api.obj("temperature", 51.2)).code()).isEqualTo("INVALID_TEMPERATURE");
    ok(w.post("/api/v1/grid/tasks/" + homeId + "/diary", Api.obj("temperature", 37.8, "symptoms", List.of("FEVER"))), 200);
    clock.reset();
    JsonNode mine = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/observation"), 200).json();
    assertThat(mine.path("active").asBoolean()).isTrue();
    assertThat(mine.path("diary").get(0).path("fever").asBoolean()).isTrue();
    // the resident enters today's line: every day has one, the observation is over
    JsonNode done = ok(p.resident().post("/api/v1/resident/persons/" + p.personId() + "/observation/diary",
        Api.obj("temperature", 36.6, "symptoms", List.of())), 200).json();
    assertThat(done.path("active").asBoolean()).isFalse();
    assertThat(done.path("diary").size()).isEqualTo(2);
    assertThat(done.path("diary").get(1).path("enteredBy").asString()).isEqualTo("RESIDENT");
    Person stranger = person(c);
    assertThat(stranger.resident().post("/api/v1/resident/persons/" + p.personId() + "/observation/diary", Api.obj("temperature", 36.6))
        .code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(stranger.resident().post("/api/v1/resident/persons/" + stranger.personId() + "/observation/diary",
        Api.obj("temperature", 36.6)).code()).isEqualTo("NOT_UNDER_OBSERVATION");
  }

  @Test
  void anOverdueTaskIsEscalatedToItsDistrictOnce() {
    Corner c = corner();
    String g = grid(c.district());
    Api w = worker(g);
    Person p = person(c);
    String declaration = ok(p.resident().post("/api/v1/resident/persons/" + p.personId() + "/declarations",
        Api.obj("gridCode", g, "caseContact", true, "contactDate", today().toString())), 201).str("declarationId");
    JsonNode task = awaitTask(w, declaration);
    assertThat(task.path("kind").asString()).isEqualTo("CLOSE_CONTACT");
    followUps.escalateOverdue();
    assertThat(awaitTask(w, declaration).path("escalatedAt").isString()).as("not due yet").isFalse();
    // a close contact is due within 2 hours
    clock.advance(Duration.ofHours(2).plusMinutes(1));
    JsonNode overdue = awaitTask(w, declaration);
    assertThat(overdue.path("overdue").asBoolean()).isTrue();
    followUps.escalateOverdue();
    assertThat(awaitTask(w, declaration).path("escalatedAt").isString()).isTrue();
    String subject = c.district() + " / " + g + " / " + task.path("taskId").asString().substring(0, 8);
    JsonNode alerts = ok(staff("OFFICIAL", null, null).get("/api/v1/dashboard/alerts"), 200).json();
    long matching = 0;
    for (JsonNode a : alerts) {
      if ("FOLLOW_UP_OVERDUE".equals(a.path("kind").asString()) && subject.equals(a.path("subject").asString())) {
        matching++;
        assertThat(a.path("detail").asString()).contains(c.district()).doesNotContain("随访人").doesNotContain("随*人");
      }
    }
    assertThat(matching).isEqualTo(1);
    followUps.escalateOverdue();
    assertThat(jdbc.sql("select count(*) from alerts where kind = 'FOLLOW_UP_OVERDUE' and subject = ?").param(subject).query(Long.class).single())
        .isEqualTo(1);
  }

  @Test
  void aRecallNotRetestedInTimeBecomesOneTaskForTheGridOfThePerson() {
    // a day no other test uses (84 days ahead, within the tests' token lifetime); recalls are overdue after 6 h
    clock.advance(Duration.between(clock.instant(), LocalDate.now(ZoneOffset.UTC).plusDays(84).atTime(1, 30).toInstant(ZoneOffset.UTC)));
    Corner c = corner();
    String g = grid(c.district());
    Api w = worker(g);
    String pool = unique("T");
    Flows.fillTube(c.collector(), pool, 3);
    Api tech = staff("LAB_TECH", null, c.lab());
    String box = unique("B");
    Flows.ship(c.collector(), staff("COURIER", null, null), box, c.lab(), List.of(pool));
    Flows.receive(tech, c.lab(), box, List.of(pool));
    Map<String, String> layout = Plates.layout(List.of(pool));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, java.util.Set.of(pool), false)), 200);
    ok(staff("LAB_REVIEWER", null, c.lab()).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from recalls where tube_code = ?").param(pool)
        .query(Long.class).single() == 3);

    followUps.openOverdueRecalls();
    assertThat(recallTasks(pool)).as("not overdue yet").isZero();
    clock.advance(Duration.ofHours(6).plusMinutes(1));
    followUps.openOverdueRecalls();
    followUps.openOverdueRecalls();
    assertThat(recallTasks(pool)).as("one task per recall, however often the scan runs").isEqualTo(3);
    List<JsonNode> mine = new java.util.ArrayList<>();
    for (JsonNode t : ok(w.get("/api/v1/grid/tasks"), 200).json()) {
      if ("OVERDUE_RECALL".equals(t.path("kind").asString()) && t.path("detail").asString().contains(c.site())) {
        mine.add(t);
      }
    }
    assertThat(mine).hasSize(3);
    assertThat(mine.get(0).path("detail").asString()).contains("recall overdue").contains("POOL_POSITIVE");
    assertThat(OffsetDateTime.parse(mine.get(0).path("dueAt").asString()).toInstant())
        .isEqualTo(OffsetDateTime.parse(mine.get(0).path("createdAt").asString()).toInstant().plus(Duration.ofHours(4)));
    // the worker reaches the person: the task is done like any other
    JsonNode done = ok(w.post("/api/v1/grid/tasks/" + mine.get(0).path("taskId").asString() + "/follow-ups",
        Api.obj("method", "CALL", "reached", true, "note", "已通知复检")), 200).json();
    assertThat(done.path("task").path("status").asString()).isEqualTo("DONE");
  }

  private long recallTasks(String tube) {
    return jdbc.sql("select count(*) from follow_up_tasks t join recalls r on r.binding_id = t.recall_binding_id where r.tube_code = ?")
        .param(tube).query(Long.class).single();
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode awaitTask(Api worker, String declarationId) {
    JsonNode[] found = new JsonNode[1];
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (JsonNode t : ok(worker.get("/api/v1/grid/tasks"), 200).json()) {
        if (declarationId.equals(t.path("declarationId").asString())) {
          found[0] = t;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private Person person(Corner c) {
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String id = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "随访人", "districtCode", c.district())).str("personId");
    return new Person(resident, id);
  }

  private String grid(String district) {
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", district)), 201);
    return grid;
  }

  private Api worker(String grid) {
    String name = unique("grid-worker").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "GRID_WORKER", "gridCode", grid)), 201);
    return api().as(token(name, PASSWORD));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
  }

  private String ago(Duration d) {
    return OffsetDateTime.ofInstant(clock.instant().minus(d), ZoneOffset.UTC).toString();
  }
}
