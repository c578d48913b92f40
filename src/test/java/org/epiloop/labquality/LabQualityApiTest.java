package org.epiloop.labquality;

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
 * Lab quality through the API: a run held by a Westgard rejection until a corrective action, kit
 * lots refused when expired and counted down well by well, cyclers refused past calibration.
 */
class LabQualityApiTest extends IntegrationTest {

  private record Lab(String code, Api director, Api tech, Api reviewer, Api courier, Corner corner) {}

  private Lab lab() {
    Corner c = corner();
    return new Lab(c.lab(), staff("LAB_DIRECTOR", null, c.lab()), staff("LAB_TECH", null, c.lab()), staff("LAB_REVIEWER", null, c.lab()),
        staff("COURIER", null, null), c);
  }

  /** {@code n} tubes received at the lab and waiting for a plate. */
  private List<String> tubes(Lab lab, int n) {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      codes.add(Flows.fillTube(lab.corner().collector(), unique("T"), 2).tubeCode());
    }
    String box = unique("B");
    Flows.ship(lab.corner().collector(), lab.courier(), box, lab.code(), codes);
    Flows.receive(lab.tech(), lab.code(), box, codes);
    return codes;
  }

  private Api.Res plate(Lab lab, List<String> tubes, String reagentLot, String cycler) {
    return lab.tech().post("/api/v1/labs/" + lab.code() + "/runs", Api.obj("plateCode", unique("P"),
        "wells", Plates.wellsJson(Plates.layout(tubes)), "reagentLot", reagentLot, "cycler", cycler));
  }

  /** All tubes negative, the positive control (H11) at the given ORF1ab Ct, the rest on target. */
  private Api.Res results(Lab lab, String runId, List<String> tubes, double positiveOrf1ab) {
    List<Map<String, Object>> wells = new ArrayList<>();
    Plates.layout(tubes).keySet().forEach(w -> wells.add(Map.of("well", w, "ct", Map.of("IC", 28.0))));
    wells.add(Map.of("well", "H11", "ct", Map.of("ORF1ab", positiveOrf1ab, "N", 28.2, "IC", 27.0)));
    wells.add(Map.of("well", "H12", "ct", Map.of()));
    return lab.tech().post("/api/v1/runs/" + runId + "/results", Map.of("wells", wells));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
  }

  @Test
  void aTwoTwoSRejectionHoldsTheRunUntilAReviewerRecordsTheCorrectiveAction() {
    Lab lab = lab();
    ok(lab.director().post("/api/v1/labs/" + lab.code() + "/qc/lots", Api.obj("material", "SARS-CoV-2 弱阳性质控", "level", 1,
        "lotNumber", unique("QC"), "targets", List.of(Map.of("target", "ORF1ab", "mean", 27.5, "sd", 0.5),
            Map.of("target", "N", "mean", 28.2, "sd", 0.5), Map.of("target", "IC", "mean", 27.0, "sd", 0.5)))), 201);
    assertThat(lab.tech().post("/api/v1/labs/" + lab.code() + "/qc/lots", Api.obj("material", "x", "lotNumber", "QC-1",
        "targets", List.of())).status()).as("only the director keeps control lots").isEqualTo(403);

    // run 1: on target → PASS, all negative → released at once
    List<String> t1 = tubes(lab, 1);
    String run1 = ok(plate(lab, t1, null, null), 201).str("runId");
    assertThat(ok(results(lab, run1, t1, 27.6), 200).str("status")).isEqualTo("RELEASED");
    assertThat(ok(lab.tech().get("/api/v1/runs/" + run1), 200).json().path("qc").path("status").asString()).isEqualTo("PASS");

    // run 2: +2.2 SD → 1-2s warning only; still released at once
    List<String> t2 = tubes(lab, 1);
    String run2 = ok(plate(lab, t2, null, null), 201).str("runId");
    assertThat(ok(results(lab, run2, t2, 28.6), 200).str("status")).isEqualTo("RELEASED");
    JsonNode qc2 = ok(lab.tech().get("/api/v1/runs/" + run2 + "/qc"), 200).json();
    assertThat(qc2.path("status").asString()).isEqualTo("WARNING");
    assertThat(qc2.path("violations").findValuesAsString("rule")).containsExactly("1-2s");

    // run 3: +2.4 SD again → 2-2s: held, though all negative
    List<String> t3 = tubes(lab, 2);
    String run3 = ok(plate(lab, t3, null, null), 201).str("runId");
    assertThat(ok(results(lab, run3, t3, 28.7), 200).str("status")).isEqualTo("RESULTS_ENTERED");
    JsonNode qc3 = ok(lab.reviewer().get("/api/v1/runs/" + run3), 200).json().path("qc");
    assertThat(qc3.path("status").asString()).isEqualTo("REJECTED");
    assertThat(qc3.path("violations").findValuesAsString("rule")).containsExactlyInAnyOrder("1-2s", "2-2s");
    assertThat(qc3.path("violations").findValuesAsString("target")).containsOnly("ORF1ab");

    Api.Res held = lab.reviewer().post("/api/v1/runs/" + run3 + "/approval", Map.of());
    assertThat(held.status()).isEqualTo(409);
    assertThat(held.code()).isEqualTo("QC_REJECTED");
    assertThat(lab.tech().post("/api/v1/runs/" + run3 + "/qc/corrective-action", Map.of("action", "x")).status()).isEqualTo(403);
    assertThat(lab.reviewer().post("/api/v1/runs/" + run3 + "/qc/corrective-action", Map.of("action", " ")).code())
        .isEqualTo("FIELD_REQUIRED");
    Api otherLab = staff("LAB_REVIEWER", null, corner().lab());
    assertThat(otherLab.post("/api/v1/runs/" + run3 + "/qc/corrective-action", Map.of("action", "x")).code()).isEqualTo("OUT_OF_SCOPE");

    JsonNode corrected = ok(lab.reviewer().post("/api/v1/runs/" + run3 + "/qc/corrective-action",
        Map.of("action", "新开一支质控品复测，扩增仪温度校准后在控 New control aliquot; cycler block recalibrated")), 200).json();
    assertThat(corrected.path("status").asString()).isEqualTo("CORRECTED");
    assertThat(lab.reviewer().post("/api/v1/runs/" + run3 + "/qc/corrective-action", Map.of("action", "again")).code())
        .isEqualTo("QC_NOT_REJECTED");
    assertThat(ok(lab.reviewer().post("/api/v1/runs/" + run3 + "/approval", Map.of()), 200).str("status")).isEqualTo("RELEASED");
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'QC_CORRECTIVE_ACTION' and subject_id = ?").param(run3)
        .query(Integer.class).single()).as("the corrective action is audited").isEqualTo(1);

    // the Levey–Jennings chart has the three points, the last two marked
    String lot = ok(lab.tech().get("/api/v1/labs/" + lab.code() + "/qc/lots"), 200).json().get(0).path("lotNumber").asString();
    JsonNode chart = ok(lab.tech().get("/api/v1/labs/" + lab.code() + "/qc/chart?lot=" + lot + "&target=ORF1ab"), 200).json();
    assertThat(chart.path("points").findValues("ct").stream().map(JsonNode::asDouble).toList()).containsExactly(27.6, 28.6, 28.7);
    assertThat(chart.path("points").get(2).path("rules").valueStream().map(JsonNode::asString).toList()).containsExactly("1-2s", "2-2s");
    assertThat(chart.path("points").get(0).path("rules").isEmpty()).isTrue();
    assertThat(ok(lab.director().get("/api/v1/labs/" + lab.code() + "/qc/runs"), 200).json().findValuesAsString("status"))
        .containsExactly("CORRECTED", "WARNING");
  }

  @Test
  void anExpiredLotIsRefusedAndStockIsCountedDownWellByWellAcrossRuns() {
    Lab lab = lab();
    String expired = unique("EXP");
    String kit = unique("KIT");
    ok(lab.director().post("/api/v1/labs/" + lab.code() + "/reagent-lots", Api.obj("item", "新冠核酸检测试剂盒", "kind", "KIT",
        "lotNumber", expired, "expiresOn", today().minusDays(1).toString(), "quantity", 96)), 201);
    ok(lab.director().post("/api/v1/labs/" + lab.code() + "/reagent-lots", Api.obj("item", "新冠核酸检测试剂盒", "kind", "KIT",
        "lotNumber", kit, "expiresOn", today().plusDays(5).toString(), "quantity", 10, "lowAt", 2)), 201);
    List<String> tubes = tubes(lab, 6);

    Api.Res noLot = plate(lab, tubes.subList(0, 3), null, null);
    assertThat(noLot.code()).as("a lab with kit lots names one on every plate").isEqualTo("REAGENT_LOT_REQUIRED");
    assertThat(noLot.str("field")).isEqualTo("reagentLot");
    Api.Res refused = plate(lab, tubes.subList(0, 3), expired, null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.code()).isEqualTo("REAGENT_LOT_EXPIRED");
    assertThat(refused.str("detail")).contains(expired).contains(today().minusDays(1).toString());
    assertThat(plate(lab, tubes.subList(0, 3), "NO-SUCH-LOT", null).code()).isEqualTo("REAGENT_LOT_UNKNOWN");

    // 3 tubes + 2 controls = 5 reactions; then 2 + 2 = 4; then 1 + 2 = 3 > 1 left: refused
    ok(plate(lab, tubes.subList(0, 3), kit, null), 201);
    assertThat(remaining(lab, kit)).isEqualTo(5);
    String run2 = ok(plate(lab, tubes.subList(3, 5), kit, null), 201).str("runId");
    assertThat(remaining(lab, kit)).isEqualTo(1);
    Api.Res empty = plate(lab, tubes.subList(5, 6), kit, null);
    assertThat(empty.code()).isEqualTo("REAGENT_LOT_EMPTY");
    assertThat(empty.str("detail")).contains("1 reactions left").contains("needs 3");
    assertThat(remaining(lab, kit)).as("a refused plate takes nothing").isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from lab_tubes where tube_code = ? and state = 'WAITING'").param(tubes.get(5))
        .query(Integer.class).single()).as("and leaves its tube waiting").isEqualTo(1);
    assertThat(ok(lab.tech().get("/api/v1/runs/" + run2), 200).str("reagentLot")).isEqualTo(kit);

    JsonNode lot = lot(lab, kit);
    assertThat(lot.path("received").asInt()).isEqualTo(10);
    assertThat(lot.path("low").asBoolean()).isTrue();
    assertThat(lot.path("nearExpiry").asBoolean()).isTrue();
    assertThat(lot.path("dailyUse").asDouble()).as("9 reactions over the 7 recent days").isEqualTo(1.3);
    assertThat(lot.path("daysLeft").asDouble()).as("1 left at 9 per 7 days").isEqualTo(0.8);
    assertThat(lot(lab, expired).path("expired").asBoolean()).isTrue();

    Api official = staff("OFFICIAL", null, null);
    JsonNode alerts = ok(official.get("/api/v1/dashboard/alerts"), 200).json();
    List<String> mine = alerts.valueStream().filter(a -> a.path("subject").asString().startsWith(lab.code() + " "))
        .map(a -> a.path("kind").asString() + " " + a.path("subject").asString().substring(lab.code().length() + 1)).toList();
    assertThat(mine).containsExactlyInAnyOrder("REAGENT_LOW_STOCK " + kit, "REAGENT_NEAR_EXPIRY " + kit, "REAGENT_NEAR_EXPIRY " + expired);
  }

  @Test
  void restockManualUseAndWriteOffMoveStockExactlyWithAnAuditRecordEach() {
    Lab lab = lab();
    String kit = unique("KIT");
    String base = "/api/v1/labs/" + lab.code() + "/reagent-lots/";
    ok(lab.director().post("/api/v1/labs/" + lab.code() + "/reagent-lots", Api.obj("item", "新冠核酸检测试剂盒", "kind", "KIT",
        "lotNumber", kit, "expiresOn", today().plusMonths(3).toString(), "quantity", 96, "lowAt", 10)), 201);
    List<String> tubes = tubes(lab, 4);
    // plating takes 4 + 2 controls = 6 → 90
    ok(plate(lab, tubes, kit, null), 201);
    assertThat(remaining(lab, kit)).isEqualTo(90);

    JsonNode restocked = ok(lab.director().post(base + kit + "/movements", Api.obj("kind", "RESTOCK", "quantity", 192, "reason", "到货 2 盒")), 200)
        .json();
    assertThat(restocked.path("received").asInt()).isEqualTo(96 + 192);
    assertThat(restocked.path("remaining").asInt()).isEqualTo(282);
    JsonNode used = ok(lab.director().post(base + kit + "/movements", Api.obj("kind", "CONSUMED", "quantity", 12)), 200).json();
    assertThat(used.path("remaining").asInt()).isEqualTo(270);
    assertThat(used.path("dailyUse").asDouble()).as("6 by plating + 12 by hand over 7 days").isEqualTo(2.6);
    JsonNode written = ok(lab.director().post(base + kit + "/movements", Api.obj("kind", "WRITTEN_OFF", "quantity", 8,
        "reason", "冷链中断 Cold chain broken")), 200).json();
    assertThat(written.path("remaining").asInt()).isEqualTo(262);
    assertThat(written.path("received").asInt()).isEqualTo(288);
    assertThat(written.path("dailyUse").asDouble()).as("a write-off is not use").isEqualTo(2.6);

    // refusals: more than is left, no reason for a write-off, an unknown kind or lot, another role, another lab
    Api.Res tooMany = lab.director().post(base + kit + "/movements", Api.obj("kind", "CONSUMED", "quantity", 263));
    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.code()).isEqualTo("STOCK_INSUFFICIENT");
    assertThat(tooMany.str("field")).isEqualTo("quantity");
    assertThat(lab.director().post(base + kit + "/movements", Api.obj("kind", "WRITTEN_OFF", "quantity", 1)).str("field")).isEqualTo("reason");
    assertThat(lab.director().post(base + kit + "/movements", Api.obj("kind", "LOST", "quantity", 1)).code()).isEqualTo("INVALID_STOCK_MOVEMENT");
    assertThat(lab.director().post(base + kit + "/movements", Api.obj("kind", "RESTOCK", "quantity", 0)).code()).isEqualTo("INVALID_NUMBER");
    assertThat(lab.director().post(base + "NO-SUCH/movements", Api.obj("kind", "RESTOCK", "quantity", 1)).code())
        .isEqualTo("REAGENT_LOT_NOT_FOUND");
    assertThat(lab.tech().post(base + kit + "/movements", Api.obj("kind", "CONSUMED", "quantity", 1)).status()).isEqualTo(403);
    Api otherDirector = staff("LAB_DIRECTOR", null, corner().lab());
    assertThat(otherDirector.post(base + kit + "/movements", Api.obj("kind", "CONSUMED", "quantity", 1)).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(remaining(lab, kit)).as("refusals move nothing").isEqualTo(262);

    // a restock into an expired lot is refused: the delivery is a new lot
    String old = unique("OLD");
    ok(lab.director().post("/api/v1/labs/" + lab.code() + "/reagent-lots", Api.obj("item", "吸头 Tips", "kind", "CONSUMABLE",
        "lotNumber", old, "expiresOn", today().minusDays(1).toString(), "quantity", 100)), 201);
    assertThat(lab.director().post(base + old + "/movements", Api.obj("kind", "RESTOCK", "quantity", 5)).code()).isEqualTo("REAGENT_LOT_EXPIRED");
    ok(lab.director().post(base + old + "/movements", Api.obj("kind", "WRITTEN_OFF", "quantity", 100, "reason", "过期 Expired")), 200);
    assertThat(remaining(lab, old)).isZero();

    // the movements, newest first, with what was left after each; one audit record each
    JsonNode moves = ok(lab.tech().get(base + kit + "/movements"), 200).json();
    assertThat(moves.findValuesAsString("kind")).containsExactly("WRITTEN_OFF", "CONSUMED", "RESTOCK");
    assertThat(moves.findValues("remainingAfter").stream().map(JsonNode::asInt).toList()).containsExactly(262, 270, 282);
    assertThat(moves.get(0).path("reason").asString()).isEqualTo("冷链中断 Cold chain broken");
    String lotId = lot(lab, kit).path("id").asString();
    assertThat(jdbc.sql("select action from audit_log where subject_id = ? and action like 'REAGENT%' order by id").param(lotId)
        .query(String.class).list()).containsExactly("REAGENT_LOT_ADDED", "REAGENT_RESTOCK", "REAGENT_CONSUMED", "REAGENT_WRITTEN_OFF");
  }

  @Test
  void aCyclerPastItsCalibrationDateIsRefused() {
    Lab lab = lab();
    String cycler = unique("PCR");
    String extractor = unique("EXT");
    String url = "/api/v1/labs/" + lab.code() + "/instruments";
    ok(lab.director().post(url, Api.obj("code", cycler, "kind", "PCR_CYCLER", "name", "ABI 7500 #1",
        "calibrationDue", today().minusDays(1).toString(), "maintenanceDue", today().plusDays(30).toString())), 200);
    ok(lab.director().post(url, Api.obj("code", extractor, "kind", "EXTRACTOR", "name", "提取仪 #1",
        "calibrationDue", today().plusDays(90).toString(), "maintenanceDue", today().plusDays(3).toString())), 200);
    assertThat(lab.director().post(url, Api.obj("code", "X1", "kind", "TOASTER", "name", "x", "calibrationDue", "2027-01-01",
        "maintenanceDue", "2027-01-01")).code()).isEqualTo("INVALID_INSTRUMENT_KIND");
    List<String> tubes = tubes(lab, 1);

    assertThat(plate(lab, tubes, null, null).code()).isEqualTo("CYCLER_REQUIRED");
    assertThat(plate(lab, tubes, null, extractor).code()).isEqualTo("INSTRUMENT_NOT_A_CYCLER");
    Api.Res overdue = plate(lab, tubes, null, cycler);
    assertThat(overdue.status()).isEqualTo(422);
    assertThat(overdue.code()).isEqualTo("INSTRUMENT_CALIBRATION_OVERDUE");
    assertThat(overdue.str("field")).isEqualTo("cycler");

    // calibrated today: the director moves its due date, and the plate goes on
    ok(lab.director().post(url, Api.obj("code", cycler, "kind", "PCR_CYCLER", "name", "ABI 7500 #1",
        "calibrationDue", today().plusYears(1).toString(), "maintenanceDue", today().plusDays(30).toString())), 200);
    String run = ok(plate(lab, tubes, null, cycler), 201).str("runId");
    assertThat(ok(lab.tech().get("/api/v1/runs/" + run), 200).str("cycler")).isEqualTo(cycler);
    JsonNode list = ok(lab.tech().get(url), 200).json();
    assertThat(list.findValuesAsString("code")).containsExactlyInAnyOrder(cycler, extractor);
    assertThat(list.valueStream().filter(i -> i.path("code").asString().equals(extractor)).findFirst().orElseThrow()
        .path("maintenanceSoon").asBoolean()).isTrue();
  }

  private int remaining(Lab lab, String lotNumber) {
    return lot(lab, lotNumber).path("remaining").asInt();
  }

  private JsonNode lot(Lab lab, String lotNumber) {
    return ok(lab.director().get("/api/v1/labs/" + lab.code() + "/reagent-lots"), 200).json().valueStream()
        .filter(l -> l.path("lotNumber").asString().equals(lotNumber)).findFirst().orElseThrow();
  }
}
