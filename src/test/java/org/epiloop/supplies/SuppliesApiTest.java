package org.epiloop.supplies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Supplies (G1): stock used by binding and plating, requests to receipt, refusal of negative stock, the forecast. */
class SuppliesApiTest extends IntegrationTest {

  private Api official() {
    return staff("OFFICIAL", null, null);
  }

  private static void receive(Api official, String kind, String code, String item, long quantity) {
    ok(official.post("/api/v1/supplies/stock/receipts", Api.obj("holderKind", kind, "holderCode", code, "item", item, "quantity", quantity)),
        200);
  }

  /** One line of stock (quantity, unaccounted) at a holder; 0, 0 when none. */
  private static long[] line(Api official, String kind, String code, String item) {
    JsonNode lines = ok(official.get("/api/v1/supplies/stock?holderKind=" + kind + "&holderCode=" + code), 200).json();
    for (JsonNode l : lines) {
      if (l.path("item").asString().equals(item)) {
        return new long[] {l.path("quantity").asLong(), l.path("unaccounted").asLong()};
      }
    }
    return new long[] {0, 0};
  }

  private static void bind(Api collector, String tube) {
    ok(collector.scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "物资")), 201);
  }

  @Test
  void bindingAndPlatingUseStockExactlyOnceAfterSettlement() {
    Corner c = corner();
    Api official = official();
    receive(official, "SITE", c.site(), "SWAB", 100);
    receive(official, "SITE", c.site(), "TUBE_5", 10);
    receive(official, "SITE", c.site(), "TUBE_1", 5);
    receive(official, "LAB", c.lab(), "PCR_REACTION", 200);

    String t1 = Flows.fillTube(c.collector(), unique("T"), 5).tubeCode();
    String t2 = Flows.fillTube(c.collector(), unique("T"), 5).tubeCode();
    String t3 = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String open = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", open, "capacity", 10)), 201);
    for (int i = 0; i < 3; i++) {
      bind(c.collector(), open);
    }
    // nothing moves with the binding itself: use is settled afterwards
    assertThat(line(official, "SITE", c.site(), "SWAB")[0]).isEqualTo(100);

    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);
    assertThat(line(official, "SITE", c.site(), "SWAB")).containsExactly(100 - 5 - 5 - 1 - 3, 0);
    assertThat(line(official, "SITE", c.site(), "TUBE_5")).containsExactly(8, 0);
    assertThat(line(official, "SITE", c.site(), "TUBE_1")).containsExactly(4, 0);
    assertThat(line(official, "SITE", c.site(), "TUBE_10")).as("a 10-in-1 tube used, none received: flagged, not negative")
        .containsExactly(0, 1);
    JsonNode flagged = ok(official.get("/api/v1/supplies/stock?holderKind=SITE&holderCode=" + c.site()), 200).json();
    String flag = "";
    for (JsonNode l : flagged) {
      if (l.path("item").asString().equals("TUBE_10")) {
        flag = l.path("flag").asString();
      }
    }
    assertThat(flag).contains("1 支未登记入库");

    // the open tube fills on: only the new positions are settled; settling again changes nothing
    bind(c.collector(), open);
    bind(c.collector(), open);
    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);
    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);
    assertThat(line(official, "SITE", c.site(), "SWAB")[0]).isEqualTo(84);
    assertThat(line(official, "SITE", c.site(), "TUBE_10")).containsExactly(0, 1);

    // a plate of the three sealed tubes and two controls uses five reactions, once
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    List<String> tubes = List.of(t1, t2, t3);
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), tubes);
    Flows.receive(tech, c.lab(), box, tubes);
    ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(Plates.layout(tubes)))),
        201);
    assertThat(line(official, "LAB", c.lab(), "PCR_REACTION")[0]).isEqualTo(200);
    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);
    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);
    assertThat(line(official, "LAB", c.lab(), "PCR_REACTION")).containsExactly(195, 0);
    assertThat(line(official, "SITE", c.site(), "SWAB")[0]).isEqualTo(84);

    // a collector sees their own site's stock only
    JsonNode own = ok(c.collector().get("/api/v1/supplies/stock?holderKind=LAB&holderCode=" + c.lab()), 200).json();
    for (JsonNode l : own) {
      assertThat(l.path("holderCode").asString()).isEqualTo(c.site());
    }
  }

  @Test
  void aRequestIsApprovedDispatchedPickedUpAndReceivedMovingStock() {
    Corner c = corner();
    Api official = official();
    Api courier = staff("COURIER", null, null);
    String w = unique("W");
    ok(official.post("/api/v1/supplies/warehouses", Api.obj("code", w, "name", "仓库 " + w, "districtCode", c.district())), 201);
    receive(official, "WAREHOUSE", w, "TUBE_5", 100);

    String id = ok(c.collector().post("/api/v1/supplies/requests", Api.obj("item", "TUBE_5", "quantity", 30, "note", "明早用")), 201).str("id");
    assertThat(ok(official.get("/api/v1/supplies/requests?status=REQUESTED"), 200).text()).contains(id);
    assertThat(c.collector().post("/api/v1/supplies/requests/" + id + "/receipt", Map.of()).code()).as("not sent yet")
        .isEqualTo("SUPPLY_REQUEST_STATE");
    assertThat(ok(official.post("/api/v1/supplies/requests/" + id + "/approval", Api.obj("warehouseCode", w)), 200).str("status"))
        .isEqualTo("APPROVED");
    assertThat(line(official, "WAREHOUSE", w, "TUBE_5")[0]).as("approval moves nothing").isEqualTo(100);
    ok(official.post("/api/v1/supplies/requests/" + id + "/dispatch", Map.of()), 200);
    assertThat(line(official, "WAREHOUSE", w, "TUBE_5")[0]).isEqualTo(70);
    ok(courier.post("/api/v1/supplies/requests/" + id + "/pickup", Map.of()), 200);
    Corner other = corner();
    assertThat(other.collector().post("/api/v1/supplies/requests/" + id + "/receipt", Map.of()).status()).isEqualTo(403);
    Api.Res received = ok(c.collector().post("/api/v1/supplies/requests/" + id + "/receipt", Map.of()), 200);
    assertThat(received.str("status")).isEqualTo("RECEIVED");
    assertThat(received.json().path("custody").findValuesAsString("step")).containsExactly("APPROVED", "DISPATCHED", "PICKED_UP", "RECEIVED");
    assertThat(line(official, "SITE", c.site(), "TUBE_5")[0]).isEqualTo(30);
    assertThat(c.collector().post("/api/v1/supplies/requests/" + id + "/receipt", Map.of()).code()).as("received once")
        .isEqualTo("SUPPLY_REQUEST_STATE");
    assertThat(line(official, "SITE", c.site(), "TUBE_5")[0]).isEqualTo(30);
  }

  @Test
  void aDispatchBeyondTheWarehousesStockIsRefusedInPlainWords() {
    Corner c = corner();
    Api official = official();
    String w = unique("W");
    ok(official.post("/api/v1/supplies/warehouses", Api.obj("code", w, "name", "仓库 " + w, "districtCode", c.district())), 201);
    receive(official, "WAREHOUSE", w, "SWAB", 40);
    String id = ok(c.collector().post("/api/v1/supplies/requests", Api.obj("item", "SWAB", "quantity", 100)), 201).str("id");
    ok(official.post("/api/v1/supplies/requests/" + id + "/approval", Api.obj("warehouseCode", w)), 200);
    Api.Res refused = official.post("/api/v1/supplies/requests/" + id + "/dispatch", Map.of());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.code()).isEqualTo("STOCK_INSUFFICIENT");
    assertThat(refused.str("field")).isEqualTo("quantity");
    assertThat(refused.text()).contains("只有 40").contains("100");
    assertThat(line(official, "WAREHOUSE", w, "SWAB")[0]).as("nothing left").isEqualTo(40);
    JsonNode after = ok(official.get("/api/v1/supplies/requests?status=APPROVED"), 200).json();
    assertThat(after.findValuesAsString("id")).as("still approved, to send when restocked").contains(id);
    assertThat(official.post("/api/v1/supplies/stock/receipts",
        Api.obj("holderKind", "WAREHOUSE", "holderCode", w, "item", "SWAB", "quantity", -5)).code()).isEqualTo("VALIDATION_FAILED");
    receive(official, "WAREHOUSE", w, "SWAB", 60);
    ok(official.post("/api/v1/supplies/requests/" + id + "/dispatch", Map.of()), 200);
    assertThat(line(official, "WAREHOUSE", w, "SWAB")[0]).isEqualTo(0);
  }

  @Test
  void theShortageForecastOfAKnownPlan() {
    Corner c1 = corner();
    Corner c2 = corner();
    Api official = official();
    String w = unique("W");
    ok(official.post("/api/v1/supplies/warehouses", Api.obj("code", w, "name", "仓库 " + w, "districtCode", c1.district())), 201);
    receive(official, "WAREHOUSE", w, "SWAB", 150);
    receive(official, "SITE", c1.site(), "SWAB", 300);
    receive(official, "SITE", c1.site(), "TUBE_10", 60);
    receive(official, "LAB", c1.lab(), "PCR_REACTION", 100);
    // the current rate: ten swabs and one tube used at site 1
    Flows.fillTube(c1.collector(), unique("T"), 10);
    ok(official.post("/api/v1/supplies/settlement", Map.of()), 200);

    JsonNode f = ok(official.post("/api/v1/supplies/forecast", Api.obj("persons", 1001, "pool", 10, "singleShare", 0.05,
        "siteCodes", List.of(c1.site(), c2.site()), "labCodes", List.of(c1.lab()), "warehouseCodes", List.of(w))), 200).json();
    // site 1: 501 persons, 25 single, 476 pooled in 48 tubes, 3 PPE sets; site 2: 500, 25, 475 in 48, 3
    assertRow(f, "SITE", c1.site(), "SWAB", 501, 290, 211);
    assertRow(f, "SITE", c1.site(), "TUBE_1", 25, 0, 25);
    assertRow(f, "SITE", c1.site(), "TUBE_10", 48, 59, 0);
    assertRow(f, "SITE", c1.site(), "PPE_SET", 3, 0, 3);
    assertRow(f, "SITE", c2.site(), "SWAB", 500, 0, 500);
    assertRow(f, "SITE", c2.site(), "TUBE_10", 48, 0, 48);
    // 146 tubes on plates of 94: 2 plates of 96 reactions
    assertRow(f, "LAB", c1.lab(), "PCR_REACTION", 192, 100, 92);
    JsonNode swab = row(f, "SITE", c1.site(), "SWAB");
    assertThat(swab.path("usePerHour").asDouble()).isCloseTo(10 / 6.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(swab.path("hoursUntilOut").asDouble()).isCloseTo(174.0, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode idle = row(f, "SITE", c2.site(), "SWAB").path("hoursUntilOut");
    assertThat(idle.isNull() || idle.isMissingNode()).as("no use, no rate: " + idle).isTrue();
    JsonNode total = null;
    for (JsonNode t : f.path("totals")) {
      if (t.path("item").asString().equals("SWAB")) {
        total = t;
      }
    }
    assertThat(total.path("needed").asLong()).isEqualTo(1001);
    assertThat(total.path("onHand").asLong()).isEqualTo(290);
    assertThat(total.path("shortfall").asLong()).isEqualTo(711);
    assertThat(total.path("inWarehouses").asLong()).isEqualTo(150);
    assertThat(total.path("uncovered").asLong()).isEqualTo(561);

    assertThat(official.post("/api/v1/supplies/forecast", Api.obj("persons", 10, "pool", 7, "siteCodes", List.of(c1.site()))).str("field"))
        .isEqualTo("pool");
    assertThat(official.post("/api/v1/supplies/forecast", Api.obj("persons", 10, "pool", 5)).str("field")).isEqualTo("siteCodes");
  }

  private static JsonNode row(JsonNode f, String kind, String code, String item) {
    for (JsonNode r : f.path("rows")) {
      if (r.path("holderKind").asString().equals(kind) && r.path("holderCode").asString().equals(code) && r.path("item").asString().equals(item)) {
        return r;
      }
    }
    throw new AssertionError("no row " + kind + " " + code + " " + item + " in " + f);
  }

  private static void assertRow(JsonNode f, String kind, String code, String item, long needed, long onHand, long shortfall) {
    JsonNode r = row(f, kind, code, item);
    assertThat(new long[] {r.path("needed").asLong(), r.path("onHand").asLong(), r.path("shortfall").asLong()})
        .as(kind + " " + code + " " + item).containsExactly(needed, onHand, shortfall);
  }
}
