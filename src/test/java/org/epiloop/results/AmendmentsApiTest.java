package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.alerts.Alerts;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Corrections of released results: two reviewers of the lab, history kept, everyone follows (issue 16 item 4). */
class AmendmentsApiTest extends IntegrationTest {

  @Autowired Alerts alerts;

  record Released(Corner c, Api tech, Api reviewer, Api reviewer2, String tube, JsonNode result) {}

  /** A single tube of one person, negative, auto-released. */
  private Released released() {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200);
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    JsonNode result = await().atMost(Duration.ofSeconds(30)).until(
        () -> ok(reviewer.get("/api/v1/labs/" + c.lab() + "/released-results?tubeCode=" + tube), 200).json(), j -> j.size() == 1).get(0);
    return new Released(c, tech, reviewer, staff("LAB_REVIEWER", null, c.lab()), tube, result);
  }

  @Test
  void aSecondReviewerApprovesAndTheResultChangesWithItsHistoryKept() {
    Released r = released();
    assertThat(r.result().path("status").asString()).isEqualTo("NEGATIVE");
    assertThat(r.result().path("revision").asInt()).isZero();
    String binding = r.result().path("bindingId").asString();

    Api.Res proposed = r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "POSITIVE",
        "reason", "Plate map swapped wells C3 and C4"));
    assertThat(proposed.status()).isEqualTo(201);
    assertThat(proposed.str("state")).isEqualTo("PROPOSED");
    String id = proposed.str("id");
    // nothing changes before a second person approves
    assertThat(ok(r.reviewer().get("/api/v1/labs/" + r.c().lab() + "/released-results?tubeCode=" + r.tube()), 200).json().get(0)
        .path("status").asString()).isEqualTo("NEGATIVE");

    Api.Res self = r.reviewer().post("/api/v1/amendments/" + id + "/approve", Map.of());
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.code()).isEqualTo("AMENDMENT_SAME_REVIEWER");
    assertThat(r.tech().post("/api/v1/amendments/" + id + "/approve", Map.of()).status()).isEqualTo(403);

    Api.Res approved = r.reviewer2().post("/api/v1/amendments/" + id + "/approve", Map.of());
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.str("state")).isEqualTo("APPROVED");
    JsonNode now = ok(r.reviewer().get("/api/v1/labs/" + r.c().lab() + "/released-results?tubeCode=" + r.tube()), 200).json().get(0);
    assertThat(now.path("status").asString()).isEqualTo("POSITIVE");
    assertThat(now.path("revision").asInt()).isEqualTo(1);
    assertThat(jdbc.sql("select status from person_result_history where binding_id = ?::uuid and revision = 0").param(binding)
        .query(String.class).single()).isEqualTo("NEGATIVE");
    assertThat(alerts.open()).anyMatch(a -> a.kind().equals("RESULT_AMENDED") && a.subject().startsWith(r.tube()));
    assertThat(jdbc.sql("select count(*) from audit_log where action in ('RESULT_AMENDMENT_PROPOSED','RESULT_AMENDED') and detail like ?")
        .param("%" + binding + "%").query(Integer.class).single()).isEqualTo(2);
    // the health code follows: the published event is completed by its listeners
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
        "select count(*) from event_publication where completion_date is null and serialized_event like ?")
        .param("%" + binding + "%").query(Integer.class).single() == 0);

    Api.Res again = r.reviewer2().post("/api/v1/amendments/" + id + "/approve", Map.of());
    assertThat(again.code()).isEqualTo("AMENDMENT_DECIDED");
  }

  @Test
  void proposalsAreCheckedOneIsOpenAtATimeAndARejectionChangesNothing() {
    Released r = released();
    String binding = r.result().path("bindingId").asString();
    assertThat(r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "NEGATIVE", "reason", "x")).code())
        .isEqualTo("AMENDMENT_UNCHANGED");
    Api.Res noReason = r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST"));
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.str("field")).isEqualTo("reason");
    assertThat(r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "MAYBE", "reason", "x")).str("field"))
        .isEqualTo("status");
    Api otherLab = staff("LAB_REVIEWER", null, corner().lab());
    assertThat(otherLab.post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST", "reason", "x")).status())
        .isEqualTo(403);

    // the kind decides corrected vs amended at the province (ADR 0024): only the two known ones
    assertThat(r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST", "kind", "SOMETIMES",
        "reason", "x")).str("field")).isEqualTo("kind");
    String id = ok(r.reviewer().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST", "reason", "IC failed")), 201)
        .str("id");
    assertThat(ok(r.reviewer2().get("/api/v1/labs/" + r.c().lab() + "/amendments"), 200).json().get(0).path("kind").asString())
        .as("omitted: a revision").isEqualTo("REVISION");
    assertThat(r.reviewer2().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "POSITIVE", "reason", "y")).code())
        .isEqualTo("AMENDMENT_OPEN");
    assertThat(ok(r.reviewer2().get("/api/v1/labs/" + r.c().lab() + "/amendments"), 200).json().get(0).path("id").asString())
        .isEqualTo(id);
    assertThat(r.reviewer().post("/api/v1/amendments/" + id + "/reject", Map.of()).code()).isEqualTo("AMENDMENT_SAME_REVIEWER");
    assertThat(ok(r.reviewer2().post("/api/v1/amendments/" + id + "/reject", Map.of()), 200).str("state")).isEqualTo("REJECTED");
    assertThat(ok(r.reviewer().get("/api/v1/labs/" + r.c().lab() + "/released-results?tubeCode=" + r.tube()), 200).json().get(0)
        .path("status").asString()).isEqualTo("NEGATIVE");
    assertThat(r.reviewer2().post("/api/v1/amendments/" + id + "/approve", Map.of()).code()).isEqualTo("AMENDMENT_DECIDED");
    // a rejected proposal leaves room for a new one
    assertThat(r.reviewer2().post("/api/v1/amendments", Api.obj("bindingId", binding, "status", "RETEST", "reason", "z")).status())
        .isEqualTo(201);
  }
}
