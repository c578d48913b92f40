package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.Test;

/** Lab receipt by scan with a discrepancy report (L1), and its races. */
class LabReceiptApiTest extends IntegrationTest {

  @Test
  void aBoxIsCheckedInWithMissingUnexpectedAndRejectedTubes() {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    String t1 = Flows.fillTube(c.collector(), unique("T"), 2).tubeCode();
    String t2 = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String t3 = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String stray = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(t1, t2, t3));

    Api.Res notOpened = tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", t1));
    assertThat(notOpened.status()).as("a tube scanned before its box was opened here").isEqualTo(404);
    assertThat(notOpened.code()).isEqualTo("RECEIPT_NOT_FOUND");
    Api.Res opened = ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts", Map.of("boxCode", box)), 200);
    assertThat(opened.json().path("expectedTubes").valueStream().map(n -> n.asString()).toList()).containsExactlyInAnyOrder(t1, t2, t3);
    assertThat(ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", t1)), 200).str("status")).isEqualTo("RECEIVED");
    assertThat(ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", t1)), 200).str("status")).isEqualTo("RECEIVED");
    ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", t2)), 200);
    assertThat(ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", stray)), 200).str("status")).isEqualTo("UNEXPECTED");
    ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes/" + t2 + "/rejection", Map.of("reason", "leaking")), 200);
    assertThat(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes/" + t3 + "/rejection", Map.of("reason", "x")).code())
        .isEqualTo("TUBE_NOT_RECEIVED");
    assertThat(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes/" + t1 + "/rejection", Map.of()).str("field")).isEqualTo("reason");

    Api.Res report = ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/close", Map.of()), 200);
    assertThat(report.json().path("received").asInt()).isEqualTo(2);
    assertThat(report.json().path("missing").valueStream().map(n -> n.asString()).toList()).containsExactly(t3);
    assertThat(report.json().path("unexpected").valueStream().map(n -> n.asString()).toList()).containsExactly(stray);
    assertThat(report.json().path("rejected").valueStream().map(n -> n.asString()).toList()).containsExactly(t2);
    assertThat(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", t3)).code()).isEqualTo("RECEIPT_CLOSED");
    assertThat(ok(c.collector().get("/api/v1/boxes/" + box), 200).str("status")).isEqualTo("RECEIVED");
  }

  @Test
  void onlyThatLabsStaffAndOnlyOnce() throws Exception {
    Corner c = corner();
    Corner other = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api otherTech = staff("LAB_TECH", null, other.lab());
    String t = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(t));
    assertThat(otherTech.post("/api/v1/labs/" + c.lab() + "/receipts", Map.of("boxCode", box)).code()).isEqualTo("OUT_OF_SCOPE");

    // two labs race for the same box: one wins
    List<Api.Res> race = Race.of(List.<java.util.concurrent.Callable<Api.Res>>of(
        () -> tech.post("/api/v1/labs/" + c.lab() + "/receipts", Map.of("boxCode", box)),
        () -> otherTech.post("/api/v1/labs/" + other.lab() + "/receipts", Map.of("boxCode", box))));
    assertThat(race.stream().filter(r -> r.status() == 200)).hasSize(1);
    assertThat(race.stream().filter(r -> r.status() == 409).map(Api.Res::code)).containsExactly("BOX_ALREADY_RECEIVED");
    String winner = race.get(0).status() == 200 ? c.lab() : other.lab();
    Api winnerTech = winner.equals(c.lab()) ? tech : otherTech;

    // the same tube scanned at two benches at once: one receipt
    Api bench2 = staff("LAB_TECH", null, winner);
    List<Api.Res> scans = Race.of(List.<java.util.concurrent.Callable<Api.Res>>of(
        () -> winnerTech.post("/api/v1/labs/" + winner + "/receipts/" + box + "/tubes", Map.of("tubeCode", t)),
        () -> bench2.post("/api/v1/labs/" + winner + "/receipts/" + box + "/tubes", Map.of("tubeCode", t))));
    assertThat(scans).allSatisfy(r -> assertThat(r.str("status")).isEqualTo("RECEIVED"));
    assertThat(jdbc.sql("select count(*) from receipt_scans where tube_code = ?").param(t).query(Integer.class).single()).isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from lab_tubes where tube_code = ?").param(t).query(Integer.class).single()).isEqualTo(1);
  }

}
