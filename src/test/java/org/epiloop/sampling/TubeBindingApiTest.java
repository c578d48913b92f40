package org.epiloop.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.Test;

/** Tube opening, binding, sealing and unbinding through HTTP on the real database (S2–S3, R2–R3). */
class TubeBindingApiTest extends IntegrationTest {

  private static Map<String, Object> card(String id, String name) {
    return Api.obj("idType", "CN_ID", "idNumber", id, "name", name);
  }

  private String openTube(Api collector, int capacity) {
    String code = unique("T");
    Api.Res r = ok(collector.post("/api/v1/tubes", Api.obj("tubeCode", code, "capacity", capacity)), 201);
    assertThat(r.str("status")).isEqualTo("OPEN");
    assertThat(r.json().path("count").asInt()).isZero();
    return code;
  }

  @Test
  void aTubeFillsScanByScanAndSealsItselfWhenFull() {
    Corner c = corner();
    String tube = openTube(c.collector(), 5);
    for (int i = 1; i <= 5; i++) {
      Api.Res r = ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "张三丰")), 201);
      assertThat(r.json().path("position").asInt()).isEqualTo(i);
      assertThat(r.json().path("count").asInt()).isEqualTo(i);
      assertThat(r.json().path("capacity").asInt()).isEqualTo(5);
      assertThat(r.str("tubeStatus")).isEqualTo(i == 5 ? "SEALED" : "OPEN");
      assertThat(r.json().path("person").path("nameMasked").asString()).isEqualTo("张*丰");
      assertThat(r.json().path("person").path("idMasked").asString()).matches("3201\\*{10}[0-9X]{4}");
    }
    Api.Res full = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "李四"));
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.code()).isEqualTo("TUBE_SEALED");
    Api.Res tubeView = ok(c.collector().get("/api/v1/tubes/" + tube), 200);
    assertThat(tubeView.str("status")).isEqualTo("SEALED");
    assertThat(tubeView.json().path("bindings").size()).isEqualTo(5);
  }

  @Test
  void openingValidatesCodeCapacityAndUniqueness() {
    Corner c = corner();
    Api.Res badCapacity = c.collector().post("/api/v1/tubes", Api.obj("tubeCode", unique("T"), "capacity", 7));
    assertThat(badCapacity.status()).isEqualTo(400);
    assertThat(badCapacity.code()).isEqualTo("INVALID_CAPACITY");
    assertThat(badCapacity.str("field")).isEqualTo("capacity");
    Api.Res badCode = c.collector().post("/api/v1/tubes", Api.obj("tubeCode", "a b", "capacity", 5));
    assertThat(badCode.code()).isEqualTo("INVALID_TUBE_CODE");
    Api.Res noCapacity = c.collector().post("/api/v1/tubes", Api.obj("tubeCode", unique("T")));
    assertThat(noCapacity.status()).isEqualTo(400);
    assertThat(noCapacity.str("field")).isEqualTo("capacity");
    String tube = openTube(c.collector(), 10);
    Api.Res again = c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 10));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("TUBE_EXISTS");
    assertThat(again.contentType()).startsWith("application/problem+json");
  }

  @Test
  void badInputIsA400NamingTheField() {
    Corner c = corner();
    String tube = openTube(c.collector(), 10);
    String good = Ids.next();
    String bad = good.substring(0, 17) + (good.charAt(17) == '1' ? '2' : '1');
    Api.Res r = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(bad, "王五"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("INVALID_ID_NUMBER");
    assertThat(r.str("field")).isEqualTo("idNumber");
    assertThat(r.text()).doesNotContain(bad);

    Api.Res noKey = c.collector().post("/api/v1/tubes/" + tube + "/bindings", card(good, "王五"));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");
    Api.Res badKey = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(good, "王五"), "not-a-uuid");
    assertThat(badKey.code()).isEqualTo("INVALID_IDEMPOTENCY_KEY");
    Api.Res empty = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Map.of());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.code()).isEqualTo("FIELD_REQUIRED");
    Api.Res noName = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", good));
    assertThat(noName.str("field")).isEqualTo("name");
    Api.Res badType = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "VISA", "idNumber", good, "name", "王五"));
    assertThat(badType.code()).isEqualTo("INVALID_ID_TYPE");
    Api.Res malformed = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", "{\"idType\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("MALFORMED_REQUEST");
    Api.Res wrongShape = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", "{\"confirmRepeat\": \"maybe\"}");
    assertThat(wrongShape.status()).isEqualTo(400);
    assertThat(wrongShape.str("field")).isEqualTo("confirmRepeat");
    Api.Res unknownTube = c.collector().scan("/api/v1/tubes/" + unique("T") + "/bindings", card(good, "王五"));
    assertThat(unknownTube.status()).isEqualTo(404);
    assertThat(unknownTube.code()).isEqualTo("TUBE_NOT_FOUND");
    Api.Res unknownAppointment = c.collector().scan("/api/v1/tubes/" + tube + "/bindings",
        Api.obj("appointmentCode", "AP" + "A".repeat(48)));
    assertThat(unknownAppointment.status()).isEqualTo(404);
    assertThat(unknownAppointment.code()).isEqualTo("APPOINTMENT_NOT_FOUND");
  }

  @Test
  void aRetriedScanReturnsTheFirstResponseAndChangesNothing() {
    Corner c = corner();
    String tube = openTube(c.collector(), 10);
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = card(Ids.next(), "赵六");
    Api.Res first = ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", body, key), 201);
    Api.Res retry = ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", body, key), 201);
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(bindingsIn(tube)).isEqualTo(1);

    Api.Res reused = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "钱七"), key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(bindingsIn(tube)).isEqualTo(1);
  }

  @Test
  void aReusedKeyIs422EvenWhenTheNewBodyIsInvalidToo() {
    Corner c = corner();
    String tube = openTube(c.collector(), 10);
    String key = UUID.randomUUID().toString();
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "孙八"), key), 201);
    for (Map<String, Object> invalid : List.of(card("123", "孙八"), Api.obj("idType", "CN_ID"), Api.obj())) {
      Api.Res reused = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", invalid, key);
      assertThat(reused.status()).as("%s", invalid).isEqualTo(422);
      assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }
    // an unused key with an invalid body is still the 400 naming the field, and claims nothing
    String fresh = UUID.randomUUID().toString();
    Api.Res invalid = c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card("123", "孙八"), fresh);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.str("field")).isEqualTo("idNumber");
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "孙八"), fresh), 201);
    assertThat(bindingsIn(tube)).isEqualTo(2);
  }

  @Test
  void racingRetriesOfOneScanBindOnce() throws Exception {
    Corner c = corner();
    String tube = openTube(c.collector(), 20);
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = card(Ids.next(), "孙八");
    List<Api.Res> results = Race.of(12, () -> c.collector().scan("/api/v1/tubes/" + tube + "/bindings", body, key));
    assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    assertThat(results.stream().map(r -> r.str("bindingId")).distinct()).hasSize(1);
    assertThat(bindingsIn(tube)).isEqualTo(1);
    assertThat(jdbc.sql("select bound_count from tubes where code = ?").param(tube).query(Integer.class).single()).isEqualTo(1);
  }

  @Test
  void capacityHoldsUnderConcurrency() throws Exception {
    Corner c = corner();
    String tube = openTube(c.collector(), 20);
    List<Api.Res> results = Race.of(30, () -> c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "周九")));
    assertThat(results.stream().filter(r -> r.status() == 201)).hasSize(20);
    assertThat(results.stream().filter(r -> r.status() != 201)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.code()).isEqualTo("TUBE_SEALED");
    });
    assertThat(bindingsIn(tube)).isEqualTo(20);
    assertThat(results.stream().filter(r -> r.status() == 201).map(r -> r.json().path("position").asInt()).distinct()).hasSize(20);
    assertThat(jdbc.sql("select status from tubes where code = ?").param(tube).query(String.class).single()).isEqualTo("SEALED");
  }

  @Test
  void aPersonSampledInTheLast12HoursIsFlaggedNotDuplicated() {
    Corner c = corner();
    Corner other = corner();
    String id = Ids.next();
    String tube1 = openTube(c.collector(), 10);
    ok(c.collector().scan("/api/v1/tubes/" + tube1 + "/bindings", card(id, "吴十")), 201);

    Api.Res same = c.collector().scan("/api/v1/tubes/" + tube1 + "/bindings", card(id, "吴十"));
    assertThat(same.status()).isEqualTo(409);
    assertThat(same.code()).isEqualTo("ALREADY_IN_TUBE");

    String tube2 = openTube(other.collector(), 10);
    Api.Res elsewhere = other.collector().scan("/api/v1/tubes/" + tube2 + "/bindings", card(id, "吴十"));
    assertThat(elsewhere.status()).isEqualTo(409);
    assertThat(elsewhere.code()).isEqualTo("SAMPLED_IN_ROUND");
    assertThat(bindingsIn(tube2)).isZero();

    Api.Res confirmed = ok(other.collector().scan("/api/v1/tubes/" + tube2 + "/bindings",
        Api.obj("idType", "CN_ID", "idNumber", id, "name", "吴十", "confirmRepeat", true)), 201);
    assertThat(confirmed.json().path("repeat").asBoolean()).isTrue();

    clock.advance(Duration.ofHours(13));
    String tube3 = openTube(other.collector(), 10);
    ok(other.collector().scan("/api/v1/tubes/" + tube3 + "/bindings", card(id, "吴十")), 201);
  }

  @Test
  void aKnownDocumentWithAnotherNameIsRefused() {
    Corner c = corner();
    String id = Ids.next();
    String tube = openTube(c.collector(), 10);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(id, "郑十一")), 201);
    clock.advance(Duration.ofHours(13));
    String tube2 = openTube(c.collector(), 10);
    Api.Res r = c.collector().scan("/api/v1/tubes/" + tube2 + "/bindings", card(id, "冒名"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("NAME_MISMATCH");
  }

  @Test
  void aCollectorActsOnlyAtTheirOwnSite() {
    Corner mine = corner();
    Corner theirs = corner();
    String tube = openTube(theirs.collector(), 5);
    Api.Res bind = mine.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "王五"));
    assertThat(bind.status()).isEqualTo(403);
    assertThat(bind.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(mine.collector().post("/api/v1/tubes/" + tube + "/seal", Map.of()).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(mine.collector().get("/api/v1/tubes/" + tube).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(bindingsIn(tube)).isZero();
  }

  @Test
  void unbindingIsAuditedAndOnlyWhileOpen() {
    Corner c = corner();
    String tube = openTube(c.collector(), 5);
    String bindingId = ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "冯十二")), 201).str("bindingId");
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "陈十三")), 201);

    Api.Res noReason = c.collector().delete("/api/v1/tubes/" + tube + "/bindings/" + bindingId);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.str("field")).isEqualTo("reason");
    ok(c.collector().delete("/api/v1/tubes/" + tube + "/bindings/" + bindingId + "?reason=wrong%20person"), 204);
    Api.Res twice = c.collector().delete("/api/v1/tubes/" + tube + "/bindings/" + bindingId + "?reason=again");
    assertThat(twice.status()).isEqualTo(404);
    assertThat(twice.code()).isEqualTo("BINDING_NOT_FOUND");

    Api.Res view = ok(c.collector().get("/api/v1/tubes/" + tube), 200);
    assertThat(view.json().path("count").asInt()).isEqualTo(1);
    // reading the tube's members is audited too (TUBE_MEMBERS_READ); the removal has its own entry
    String audit = jdbc.sql("select action || ' ' || detail from audit_log where subject_type = 'tube' and subject_id = ? and action = 'BINDING_REMOVED'")
        .param(tube).query(String.class).single();
    assertThat(audit).contains("BINDING_REMOVED").contains(bindingId).contains("wrong person");

    // the freed place is used again: the tube still takes 4 more
    for (int i = 0; i < 4; i++) {
      ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "褚十四")), 201);
    }
    String last = jdbc.sql("select id::text from bindings where tube_code = ? and unbound_at is null limit 1").param(tube).query(String.class).single();
    Api.Res sealedUnbind = c.collector().delete("/api/v1/tubes/" + tube + "/bindings/" + last + "?reason=late");
    assertThat(sealedUnbind.status()).isEqualTo(409);
    assertThat(sealedUnbind.code()).isEqualTo("TUBE_SEALED");
  }

  @Test
  void sealingByHand() {
    Corner c = corner();
    String tube = openTube(c.collector(), 10);
    Api.Res empty = c.collector().post("/api/v1/tubes/" + tube + "/seal", Map.of());
    assertThat(empty.status()).isEqualTo(409);
    assertThat(empty.code()).isEqualTo("TUBE_EMPTY");
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", card(Ids.next(), "卫十五")), 201);
    Api.Res sealed = ok(c.collector().post("/api/v1/tubes/" + tube + "/seal", Map.of()), 200);
    assertThat(sealed.str("status")).isEqualTo("SEALED");
    assertThat(sealed.json().path("count").asInt()).isEqualTo(1);
    Api.Res again = ok(c.collector().post("/api/v1/tubes/" + tube + "/seal", Map.of()), 200);
    assertThat(again.str("status")).isEqualTo("SEALED");
    assertThat(c.collector().get("/api/v1/tubes").json().findValuesAsString("tubeCode")).doesNotContain(tube);
  }

  private int bindingsIn(String tube) {
    return jdbc.sql("select count(*) from bindings where tube_code = ? and unbound_at is null").param(tube).query(Integer.class).single();
  }
}
