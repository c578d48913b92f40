package org.epiloop.supplies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PPE used at a site, recorded by its collector at the end of a shift (issue 18 item 6, ADR 0035):
 * the site's stock falls by exactly what was recorded, never below zero (422 STOCK_INSUFFICIENT
 * naming the quantity), and a retry with the same Idempotency-Key is the same recording, not a
 * second decrement.
 */
class PpeUseApiTest extends IntegrationTest {

  @Test
  void aShiftsPpeIsTakenFromTheSitesStockExactlyOnceAndNeverBelowZero() {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    ok(official.post("/api/v1/supplies/stock/receipts", Api.obj("holderKind", "SITE", "holderCode", c.site(), "item", "PPE_SET",
        "quantity", 50)), 200);
    assertThat(ppe(official, c.site())).isEqualTo(50);

    String key = UUID.randomUUID().toString();
    Map<String, Object> shift = Api.obj("item", "PPE_SET", "quantity", 12, "note", "早班 6 人");
    JsonNode first = ok(c.collector().scan("/api/v1/supplies/ppe-use", shift, key), 201).json();
    assertThat(first.path("siteCode").asString()).isEqualTo(c.site());
    assertThat(first.path("quantity").asInt()).isEqualTo(12);
    assertThat(first.path("remaining").asLong()).isEqualTo(38);
    assertThat(ppe(official, c.site())).isEqualTo(38);

    // the answer was lost and the phone sends again: the same recording, nothing taken twice
    JsonNode again = ok(c.collector().scan("/api/v1/supplies/ppe-use", shift, key), 201).json();
    assertThat(again.path("useId").asString()).isEqualTo(first.path("useId").asString());
    assertThat(again.path("remaining").asLong()).isEqualTo(38);
    assertThat(ppe(official, c.site())).isEqualTo(38);
    Api.Res reused = c.collector().scan("/api/v1/supplies/ppe-use", Api.obj("item", "PPE_SET", "quantity", 13), key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");

    // more than is on hand: refused whole, the count names the field, the stock stays
    Api.Res tooMany = c.collector().scan("/api/v1/supplies/ppe-use", Api.obj("quantity", 39));
    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.code()).isEqualTo("STOCK_INSUFFICIENT");
    assertThat(tooMany.str("field")).isEqualTo("quantity");
    assertThat(tooMany.str("detail")).contains("38").contains("39");
    assertThat(ppe(official, c.site())).isEqualTo(38);

    // exactly what is left (item defaults to PPE_SET): zero, not below
    JsonNode last = ok(c.collector().scan("/api/v1/supplies/ppe-use", Api.obj("quantity", 38)), 201).json();
    assertThat(last.path("remaining").asLong()).isZero();
    assertThat(ppe(official, c.site())).isZero();
    assertThat(c.collector().scan("/api/v1/supplies/ppe-use", Api.obj("quantity", 1)).code()).isEqualTo("STOCK_INSUFFICIENT");
    assertThat(jdbc.sql("select quantity from supply_stock where holder_kind = 'SITE' and holder_code = ? and item = 'PPE_SET'")
        .param(c.site()).query(Long.class).single()).isZero();

    // the site's list, the use counted into the hourly rate, and each recording audited
    JsonNode list = ok(c.collector().get("/api/v1/supplies/ppe-use"), 200).json();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("quantity").asInt()).isEqualTo(38);
    assertThat(list.get(1).path("note").asString()).isEqualTo("早班 6 人");
    assertThat(jdbc.sql("select sum(quantity) from supply_usage_hours where holder_kind = 'SITE' and holder_code = ? and item = 'PPE_SET'")
        .param(c.site()).query(Long.class).single()).isEqualTo(50);
    assertThat(jdbc.sql("select detail from audit_log where action = 'SUPPLY_PPE_USED' and subject_id = ? order by id")
        .param("SITE:" + c.site()).query(String.class).list()).containsExactly("PPE_SET -12, left 38", "PPE_SET -38, left 0");
  }

  @Test
  void badRecordingsAreRefusedNamingTheFieldAndAnotherSitesCollectorIsOutOfScope() {
    Corner c = corner();
    Corner other = corner();
    Api official = staff("OFFICIAL", null, null);
    ok(official.post("/api/v1/supplies/stock/receipts", Api.obj("holderKind", "SITE", "holderCode", c.site(), "item", "PPE_SET",
        "quantity", 10)), 200);
    record Bad(Map<String, Object> body, String field) {}
    for (Bad bad : List.of(new Bad(Api.obj("quantity", 0), "quantity"), new Bad(Api.obj("quantity", -2), "quantity"),
        new Bad(Api.obj("item", "PPE_SET"), "quantity"), new Bad(Api.obj("item", "SWAB", "quantity", 1), "item"),
        new Bad(Api.obj("item", "GLOVES?", "quantity", 1), "item"), new Bad(Api.obj("quantity", 1, "note", "长".repeat(201)), "note"))) {
      Api.Res r = c.collector().scan("/api/v1/supplies/ppe-use", bad.body());
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.str("field")).as(bad.toString()).isEqualTo(bad.field());
    }
    Api.Res noKey = c.collector().post("/api/v1/supplies/ppe-use", Api.obj("quantity", 1));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");
    Api.Res foreign = other.collector().scan("/api/v1/supplies/ppe-use", Api.obj("siteCode", c.site(), "quantity", 1));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(other.collector().get("/api/v1/supplies/ppe-use?siteCode=" + c.site()).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(official.scan("/api/v1/supplies/ppe-use", Api.obj("siteCode", c.site(), "quantity", 1)).status()).isEqualTo(403);
    assertThat(ppe(official, c.site())).isEqualTo(10);
    // an official reads a site's recordings by its code
    assertThat(ok(official.get("/api/v1/supplies/ppe-use?siteCode=" + c.site()), 200).json()).isEmpty();
  }

  private static long ppe(Api official, String site) {
    for (JsonNode l : ok(official.get("/api/v1/supplies/stock?holderKind=SITE&holderCode=" + site), 200).json()) {
      if (l.path("item").asString().equals("PPE_SET")) {
        return l.path("quantity").asLong();
      }
    }
    return 0;
  }
}
