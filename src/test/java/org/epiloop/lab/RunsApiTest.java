package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;

/** Plates, result import, interpretation, review and release rules (L2–L4). */
class RunsApiTest extends IntegrationTest {

  record Lab(Corner c, Api tech, Api reviewer, Api reviewer2, List<String> tubes) {}

  private Lab labWithTubes(int tubes) {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < tubes; i++) {
      codes.add(Flows.fillTube(c.collector(), unique("T"), 5).tubeCode());
    }
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), codes);
    Flows.receive(tech, c.lab(), box, codes);
    return new Lab(c, tech, staff("LAB_REVIEWER", null, c.lab()), staff("LAB_REVIEWER", null, c.lab()), codes);
  }

  @Test
  void platesNeedControlsAndReceivedTubes() {
    Lab lab = labWithTubes(2);
    String url = "/api/v1/labs/" + lab.c().lab() + "/runs";
    Map<String, String> layout = Plates.layout(lab.tubes());
    Api.Res noControls = lab.tech().post(url, Map.of("plateCode", unique("P"), "wells",
        List.of(Map.of("well", "A1", "tubeCode", lab.tubes().get(0)))));
    assertThat(noControls.code()).isEqualTo("CONTROLS_REQUIRED");
    List<Map<String, Object>> badWell = new ArrayList<>(Plates.wellsJson(layout));
    badWell.add(Map.of("well", "Z99", "tubeCode", "x"));
    assertThat(lab.tech().post(url, Map.of("plateCode", unique("P"), "wells", badWell)).str("field")).isEqualTo("wells[4].well");
    List<Map<String, Object>> unknown = new ArrayList<>(Plates.wellsJson(layout));
    unknown.add(Map.of("well", "C1", "tubeCode", unique("T")));
    assertThat(lab.tech().post(url, Map.of("plateCode", unique("P"), "wells", unknown)).code()).isEqualTo("TUBE_NOT_AVAILABLE");
    ok(lab.tech().post(url, Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201);
    assertThat(lab.tech().post(url, Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))).code())
        .as("a tube is on one plate at a time").isEqualTo("TUBE_NOT_AVAILABLE");
    Api other = staff("LAB_TECH", null, corner().lab());
    assertThat(other.post(url, Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))).code()).isEqualTo("OUT_OF_SCOPE");
  }

  @Test
  void aSecondPersonReleasesOnceAndJsonResultsWork() throws Exception {
    Lab lab = labWithTubes(3);
    Map<String, String> layout = Plates.layout(lab.tubes());
    String run = ok(lab.reviewer().post("/api/v1/labs/" + lab.c().lab() + "/runs",
        Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");
    List<Map<String, Object>> wells = new ArrayList<>();
    wells.add(Map.of("well", "A1", "ct", Map.of("ORF1ab", 30.5, "N", 31.0, "IC", 27.0)));
    wells.add(Map.of("well", "A2", "ct", Api.obj("ORF1ab", 36.0, "N", null, "IC", 27.0)));
    wells.add(Map.of("well", "A3", "ct", Api.obj("IC", 26.0)));
    wells.add(Map.of("well", "H11", "ct", Map.of("ORF1ab", 28.0, "N", 28.0, "IC", 27.0)));
    wells.add(Map.of("well", "H12", "ct", Map.of()));
    Api.Res entered = ok(lab.reviewer().post("/api/v1/runs/" + run + "/results", Map.of("wells", wells)), 200);
    assertThat(entered.str("status")).isEqualTo("RESULTS_ENTERED");
    assertThat(entered.json().path("samples").findValuesAsString("interpretation")).containsExactly("POSITIVE", "INCONCLUSIVE", "NEGATIVE");
    Api.Res view = ok(lab.tech().get("/api/v1/runs/" + run), 200);
    assertThat(view.json().path("wells").get(0).path("rule").asString()).isEqualTo("BOTH_TARGETS_POSITIVE");

    Api.Res same = lab.reviewer().post("/api/v1/runs/" + run + "/approval", Map.of());
    assertThat(same.status()).isEqualTo(409);
    assertThat(same.code()).isEqualTo("SAME_USER");
    assertThat(lab.tech().post("/api/v1/runs/" + run + "/approval", Map.of()).status()).isEqualTo(403);

    List<Api.Res> approvals = Race.of(List.<java.util.concurrent.Callable<Api.Res>>of(() -> lab.reviewer2().post("/api/v1/runs/" + run + "/approval", Map.of()),
        () -> lab.reviewer2().post("/api/v1/runs/" + run + "/approval", Map.of())));
    assertThat(approvals).allSatisfy(r -> assertThat(r.str("status")).isEqualTo("RELEASED"));
    // one RunReleased event for the run (each listener gets a publication of it); the events that
    // its listeners publish in turn (results of the run) may name the run too, and may be there already
    assertThat(jdbc.sql("""
            select count(distinct serialized_event) from event_publication
            where event_type like '%.RunReleased' and serialized_event like ?""").param("%" + run + "%")
        .query(Integer.class).single()).as("one RunReleased event for the run").isEqualTo(1);
  }

  @Test
  void theSameFileTwiceIsHarmlessAndBadFilesAre400s() {
    Lab lab = labWithTubes(2);
    Map<String, String> layout = Plates.layout(lab.tubes());
    String run = ok(lab.tech().post("/api/v1/labs/" + lab.c().lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");
    for (String bad : List.of("Well,Target\nA1,N", "nonsense", "Well,Target,Ct\nA1,N,abc\n", "Well,Target,Ct\nA1,N,30\n", "\uFEFF")) {
      Api.Res r = lab.tech().postRaw("/api/v1/runs/" + run + "/results", "text/csv", bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.code()).as(bad).isIn("INVALID_INSTRUMENT_FILE", "MISSING_WELLS");
    }
    String csv = Plates.csv(layout, Set.of(lab.tubes().get(0)), false);
    Api.Res first = ok(lab.tech().postRaw("/api/v1/runs/" + run + "/results", "text/csv", csv), 200);
    Api.Res again = ok(lab.tech().postRaw("/api/v1/runs/" + run + "/results", "text/csv", csv), 200);
    assertThat(again.json()).isEqualTo(first.json());
    Api.Res different = lab.tech().postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false));
    assertThat(different.code()).isEqualTo("RESULTS_ALREADY_ENTERED");
  }

}
