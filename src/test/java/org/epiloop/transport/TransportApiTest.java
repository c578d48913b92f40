package org.epiloop.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Boxes from site to lab door with their chain of custody (T1), and overdue boxes (T2). */
class TransportApiTest extends IntegrationTest {

  private String sealedTube(Api collector, int persons) {
    String tube = unique("T");
    ok(collector.post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", persons)), 201);
    for (int i = 0; i < persons; i++) {
      ok(collector.scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "运输")), 201);
    }
    return tube;
  }

  @Test
  void aBoxTravelsWithItsChainOfCustody() {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    String t1 = sealedTube(c.collector(), 5);
    String t2 = sealedTube(c.collector(), 1);
    String box = unique("B");
    Api.Res opened = ok(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    assertThat(opened.str("status")).isEqualTo("OPEN");
    assertThat(opened.str("siteCode")).isEqualTo(c.site());
    assertThat(ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", t1)), 200).json().path("tubeCount").asInt()).isEqualTo(1);
    assertThat(ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", t1)), 200).json().path("tubeCount").asInt())
        .as("the same scan twice packs once").isEqualTo(1);
    ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", t2)), 200);
    Api.Res sealed = ok(c.collector().post("/api/v1/boxes/" + box + "/seal", Map.of()), 200);
    assertThat(sealed.str("status")).isEqualTo("SEALED");
    assertThat(sealed.json().path("tubeCount").asInt()).isEqualTo(2);

    assertThat(ok(courier.post("/api/v1/boxes/" + box + "/handover", Map.of("labCode", c.lab())), 200).str("status")).isEqualTo("IN_TRANSIT");
    ok(courier.post("/api/v1/boxes/" + box + "/locations", Map.of("latitude", 33.97, "longitude", 118.29)), 200);
    assertThat(ok(courier.post("/api/v1/boxes/" + box + "/arrival", Map.of("labCode", c.lab())), 200).str("status")).isEqualTo("ARRIVED");

    Api.Res view = ok(c.collector().get("/api/v1/boxes/" + box), 200);
    assertThat(view.str("status")).isEqualTo("ARRIVED");
    assertThat(view.str("labCode")).isEqualTo(c.lab());
    assertThat(view.json().path("tubeCount").asInt()).isEqualTo(2);
    assertThat(view.str("firstSampledAt")).isNotBlank();
    assertThat(view.json().path("events").findValuesAsString("type")).containsExactly("OPENED", "SEALED", "HANDED_OVER", "LOCATION", "ARRIVED");
    assertThat(view.json().path("events").get(3).path("latitude").asDouble()).isEqualTo(33.97);
    assertThat(view.json().path("events").get(2).path("actor").asString()).startsWith("courier");
  }

  @Test
  void onlySealedTubesOfTheSiteInNoOtherBox() {
    Corner c = corner();
    Corner other = corner();
    String open = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", open, "capacity", 5)), 201);
    String box = unique("B");
    ok(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    assertThat(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", open)).code()).isEqualTo("TUBE_NOT_SEALED");
    String foreign = sealedTube(other.collector(), 1);
    assertThat(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", foreign)).code()).isEqualTo("TUBE_FROM_OTHER_SITE");
    String tube = sealedTube(c.collector(), 1);
    ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", tube)), 200);
    String box2 = unique("B");
    ok(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box2)), 201);
    Api.Res twice = c.collector().post("/api/v1/boxes/" + box2 + "/tubes", Map.of("tubeCode", tube));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.code()).isEqualTo("TUBE_IN_OTHER_BOX");
    assertThat(c.collector().post("/api/v1/boxes/" + box2 + "/seal", Map.of()).code()).isEqualTo("BOX_EMPTY");
    assertThat(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box)).code()).isEqualTo("BOX_IN_USE");
    assertThat(other.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", foreign)).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(other.collector().get("/api/v1/boxes/" + box).code()).isEqualTo("OUT_OF_SCOPE");
    Api courier = staff("COURIER", null, null);
    assertThat(courier.post("/api/v1/boxes/" + box + "/handover", Map.of()).code()).isEqualTo("BOX_NOT_SEALED");
    assertThat(courier.post("/api/v1/boxes/" + box + "/locations", Map.of("latitude", 99.0, "longitude", 1.0)).str("field")).isEqualTo("latitude");
    assertThat(c.collector().post("/api/v1/boxes", Api.obj("boxCode", "x")).code()).isEqualTo("INVALID_BOX_CODE");
  }

  @Test
  void aBoxNotReceivedThreeHoursAfterItsFirstSampleIsOverdue() {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    String tube = sealedTube(c.collector(), 1);
    String box = unique("B");
    ok(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", tube)), 200);
    clock.advance(Duration.ofMinutes(179));
    assertThat(ok(official.get("/api/v1/transport/overdue"), 200).json().findValuesAsString("boxCode")).doesNotContain(box);
    clock.advance(Duration.ofMinutes(2));
    Api.Res overdue = ok(official.get("/api/v1/transport/overdue"), 200);
    assertThat(overdue.json().findValuesAsString("boxCode")).contains(box);
    assertThat(c.collector().get("/api/v1/transport/overdue").status()).isEqualTo(403);
  }
}
