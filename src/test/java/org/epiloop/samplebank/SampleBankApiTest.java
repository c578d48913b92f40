package org.epiloop.samplebank;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** L7: a positive tube from receipt to a storage position to disposal, in its chain of custody. */
class SampleBankApiTest extends IntegrationTest {

  @Test
  void aPositiveTubeIsKeptStoredAndDisposedOfInItsCustody() throws InterruptedException {
    Corner c = corner();
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    Api director = staff("LAB_DIRECTOR", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), staff("COURIER", null, null), tech, c.lab(), tube, unique("B"), unique("P"));
    String bank = "/api/v1/labs/" + c.lab() + "/bank";
    // before the release the tube is not the bank's
    assertThat(tech.post(bank + "/storage", storage(tube, "A1")).code()).isEqualTo("TUBE_NOT_KEPT");
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    // the release reaches the bank through the event registry: the tube waits for a position
    JsonNode summary = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> ok(director.get(bank), 200).json(), s -> s.path("waiting").asLong() == 1);
    assertThat(summary.path("toStore").get(0).path("tubeCode").asString()).isEqualTo(tube);
    assertThat(summary.path("toStore").get(0).path("reason").asString()).isEqualTo("POSITIVE");
    JsonNode stored = ok(tech.post(bank + "/storage", storage(tube, "A1")), 200).json();
    assertThat(stored.path("freezer").asString()).isEqualTo("FRZ-80");
    assertThat(stored.path("storedBy").asString()).startsWith("lab-tech");
    // scanning it again at the same place answers the same; elsewhere is refused
    ok(tech.post(bank + "/storage", storage(tube, "A1")), 200);
    assertThat(tech.post(bank + "/storage", storage(tube, "A2")).code()).isEqualTo("TUBE_ALREADY_STORED");
    summary = ok(director.get(bank), 200).json();
    assertThat(summary.path("stored").asLong()).isEqualTo(1);
    assertThat(summary.path("positives").asLong()).isEqualTo(1);
    assertThat(summary.path("dueForDisposal").size()).isZero();
    // kept for its retention (30 days in the tests): not before
    Map<String, Object> disposal = Api.obj("tubeCodes", List.of(tube), "note", "高压灭菌 autoclaved, batch 1");
    Api.Res early = director.post(bank + "/disposals", disposal);
    assertThat(early.code()).isEqualTo("RETENTION_NOT_OVER");
    assertThat(early.json().path("field").asString()).isEqualTo("tubeCodes[0]");
    assertThat(tech.post(bank + "/disposals", disposal).status()).isEqualTo(403);
    clock.advance(Duration.ofDays(31));
    assertThat(ok(director.get(bank), 200).json().path("dueForDisposal").get(0).path("tubeCode").asString()).isEqualTo(tube);
    JsonNode done = ok(director.post(bank + "/disposals", disposal), 201).json();
    assertThat(done.path("tubeCount").asInt()).isEqualTo(1);
    assertThat(director.post(bank + "/disposals", disposal).code()).isEqualTo("TUBE_DISPOSED");
    // the whole custody, collection to disposal, in one view
    JsonNode custody = ok(director.get("/api/v1/custody?tubeCode=" + tube), 200).json();
    List<String> events = custody.path("steps").valueStream().map(s -> s.path("event").asString()).toList();
    assertThat(events).containsSubsequence("RECEIVED", "ON_PLATE", "TESTED", "RELEASED", "STORED", "DISPOSED");
    assertThat(custody.path("lastEvent").asString()).isEqualTo("DISPOSED");
    JsonNode storedStep = custody.path("steps").valueStream().filter(s -> s.path("event").asString().equals("STORED")).findFirst().orElseThrow();
    assertThat(storedStep.path("detail").asString()).contains("FRZ-80/R02/B07/A1");
    assertThat(storedStep.path("stage").asString()).isEqualTo("BANK");
    JsonNode disposedStep = custody.path("steps").get(custody.path("steps").size() - 1);
    assertThat(disposedStep.path("actor").asString()).startsWith("lab-director");
    assertThat(disposedStep.path("detail").asString()).isEqualTo("高压灭菌 autoclaved, batch 1");
    // another lab's director sees nothing of it
    Api otherDirector = staff("LAB_DIRECTOR", null, corner().lab());
    assertThat(otherDirector.get(bank).code()).isEqualTo("OUT_OF_SCOPE");
  }

  private static Map<String, Object> storage(String tube, String position) {
    return Api.obj("tubeCode", tube, "freezer", "FRZ-80", "rack", "R02", "box", "B07", "position", position);
  }
}
