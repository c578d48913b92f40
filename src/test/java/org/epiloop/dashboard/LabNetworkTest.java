package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The command centre's lab-network register (issue 17 item 7): each lab's capacity and staff from
 * the directory and accounts, its instruments, assays and QC failure rate from the quality module.
 */
class LabNetworkTest extends IntegrationTest {

  @Test
  void eachLabShowsItsInstrumentsAssaysStaffCapacityAndQcFailureRate() {
    Corner c = corner();
    String lab = c.lab();
    Api director = staff("LAB_DIRECTOR", null, lab);
    Api tech = staff("LAB_TECH", null, lab);
    staff("LAB_TECH", null, lab);
    Api reviewer = staff("LAB_REVIEWER", null, lab);
    Api courier = staff("COURIER", null, null);
    Api official = staff("OFFICIAL", null, null);
    String base = "/api/v1/labs/" + lab;

    // before the lab keeps anything in the quality module: zeros, and no rate (never an estimate)
    JsonNode before = mine(official, lab);
    assertThat(before.path("instruments").asInt()).isZero();
    assertThat(before.path("assays").asInt()).isZero();
    assertThat(before.path("qcRuns").asInt()).isZero();
    assertThat(before.path("qcFailureRate").isNumber()).as("no rate without judged runs").isFalse();

    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
    String in6Months = today.plusMonths(6).toString();
    ok(director.post(base + "/instruments", Api.obj("code", unique("PCR"), "kind", "PCR_CYCLER", "name", "扩增仪 1",
        "calibrationDue", in6Months, "maintenanceDue", in6Months)), 200);
    ok(director.post(base + "/instruments", Api.obj("code", unique("PCR"), "kind", "PCR_CYCLER", "name", "扩增仪 2",
        "calibrationDue", in6Months, "maintenanceDue", in6Months)), 200);
    ok(director.post(base + "/instruments", Api.obj("code", unique("FRZ"), "kind", "FREEZER", "name", "−80 °C 冰箱",
        "calibrationDue", in6Months, "maintenanceDue", in6Months)), 200);
    // assays the lab can run: two kit items in date with stock (one of them in two lots); an expired kit and a consumable do not count
    String kit = unique("KIT");
    ok(director.post(base + "/reagent-lots", Api.obj("item", "新冠 ORF1ab/N 试剂盒", "kind", "KIT", "lotNumber", kit, "expiresOn", in6Months,
        "quantity", 1000)), 201);
    ok(director.post(base + "/reagent-lots", Api.obj("item", "新冠 ORF1ab/N 试剂盒", "kind", "KIT", "lotNumber", unique("KIT"), "expiresOn",
        in6Months, "quantity", 1000)), 201);
    ok(director.post(base + "/reagent-lots", Api.obj("item", "甲乙流 Influenza A/B 试剂盒", "kind", "KIT", "lotNumber", unique("KIT"), "expiresOn",
        in6Months, "quantity", 500)), 201);
    ok(director.post(base + "/reagent-lots", Api.obj("item", "呼吸道合胞病毒 RSV 试剂盒", "kind", "KIT", "lotNumber", unique("EXP"), "expiresOn",
        today.minusDays(1).toString(), "quantity", 500)), 201);
    ok(director.post(base + "/reagent-lots", Api.obj("item", "吸头 Pipette tips", "kind", "CONSUMABLE", "lotNumber", unique("TIP"), "expiresOn",
        in6Months, "quantity", 5000)), 201);
    ok(director.post(base + "/qc/lots", Api.obj("material", "SARS-CoV-2 弱阳性质控", "level", 1, "lotNumber", unique("QC"),
        "targets", List.of(Map.of("target", "ORF1ab", "mean", 27.5, "sd", 0.5), Map.of("target", "N", "mean", 28.2, "sd", 0.5),
            Map.of("target", "IC", "mean", 27.0, "sd", 0.5)))), 201);

    // three runs judged: in control, a 1-2s warning, a 2-2s rejection (held, then corrected: still a failure)
    String cycler = ok(tech.get(base + "/instruments"), 200).json().valueStream()
        .filter(i -> i.path("kind").asString().equals("PCR_CYCLER")).findFirst().orElseThrow().path("code").asString();
    double[] controls = {27.6, 28.6, 28.7};
    String lastRun = null;
    for (double ct : controls) {
      List<String> tubes = new ArrayList<>();
      tubes.add(Flows.fillTube(c.collector(), unique("T"), 2).tubeCode());
      String box = unique("B");
      Flows.ship(c.collector(), courier, box, lab, tubes);
      Flows.receive(tech, lab, box, tubes);
      lastRun = ok(tech.post(base + "/runs", Api.obj("plateCode", unique("P"), "wells", Plates.wellsJson(Plates.layout(tubes)),
          "reagentLot", kit, "cycler", cycler)), 201).str("runId");
      List<Map<String, Object>> wells = new ArrayList<>();
      Plates.layout(tubes).keySet().forEach(w -> wells.add(Map.of("well", w, "ct", Map.of("IC", 28.0))));
      wells.add(Map.of("well", "H11", "ct", Map.of("ORF1ab", ct, "N", 28.2, "IC", 27.0)));
      wells.add(Map.of("well", "H12", "ct", Map.of()));
      ok(tech.post("/api/v1/runs/" + lastRun + "/results", Map.of("wells", wells)), 200);
    }
    ok(reviewer.post("/api/v1/runs/" + lastRun + "/qc/corrective-action", Map.of("action", "新开质控品复测 New control aliquot")), 200);

    JsonNode l = mine(official, lab);
    assertThat(l.path("name").asString()).isEqualTo("Lab " + lab);
    assertThat(l.path("districtCode").asString()).isEqualTo(c.district());
    assertThat(l.path("dailyCapacity").asInt()).isEqualTo(50000);
    assertThat(l.path("technicians").asInt()).isEqualTo(2);
    assertThat(l.path("reviewers").asInt()).isEqualTo(1);
    assertThat(l.path("directors").asInt()).isEqualTo(1);
    assertThat(l.path("instruments").asInt()).isEqualTo(3);
    assertThat(l.path("cyclers").asInt()).isEqualTo(2);
    assertThat(l.path("assays").asInt()).isEqualTo(2);
    assertThat(l.path("qcRuns").asInt()).isEqualTo(3);
    assertThat(l.path("qcFailureRate").asDouble()).isEqualTo(1 / 3.0);
    // what needs a look now: the rejected run was corrected (held no more); the expired RSV kit; no lot low, no incident
    assertThat(l.path("qcHeldRuns").asInt()).isZero();
    assertThat(l.path("expiringLots").size()).isEqualTo(1);
    assertThat(l.path("expiringLots").get(0).asString()).startsWith("EXP");
    assertThat(l.path("lowStockLots").size()).isZero();
    assertThat(l.path("openExcursions").asInt()).isZero();
    assertThat(l.path("silentSensors").asInt()).isZero();
    // the director's turnaround figures carry the same rate
    assertThat(ok(director.get(base + "/performance?hours=24"), 200).json().path("qcFailureRate").asDouble()).isEqualTo(1 / 3.0);
    // and an administrator reads the same register
    assertThat(mine(admin(), lab).path("qcFailureRate").asDouble()).isEqualTo(1 / 3.0);
  }

  private static JsonNode mine(Api reader, String lab) {
    JsonNode all = reader.get("/api/v1/dashboard/lab-network").json();
    return all.valueStream().filter(x -> x.path("code").asString().equals(lab)).findFirst().orElseThrow();
  }
}
