package org.epiloop.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.oned.Code128Reader;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The work queues of item 8 over the API: a sealed box waits for pickup at its site, then is on
 * its way to the lab, delivered by the courier today, opened at the bench; its tubes wait for a
 * plate, the run waits for review; the custody search follows a tube through all of it; the box
 * label's barcode reads back as the box code. Scope and bad input answer 403 and 400.
 */
class WorkQueuesApiTest extends IntegrationTest {

  @Test
  void eachRoleSeesWhatWaitsForItAndTheCustodyOfATube() throws Exception {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 2).tubeCode();
    String box = unique("B");
    ok(c.collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    ok(c.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", tube)), 200);
    ok(c.collector().post("/api/v1/boxes/" + box + "/seal", Map.of()), 200);

    // ---- the label: a Code 128 barcode of the box code
    Api.Res png = ok(c.collector().get("/api/v1/boxes/" + box + "/label.png"), 200);
    var image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    assertThat(new Code128Reader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText())
        .isEqualTo(box);
    assertThat(ok(c.collector().get("/api/v1/boxes/" + box + "/label.svg"), 200).text()).startsWith("<svg").contains("<rect");
    assertThat(corner().collector().get("/api/v1/boxes/" + box + "/label.png").code()).isEqualTo("OUT_OF_SCOPE");

    // ---- waiting for pickup at its site: for couriers, and for the site's own collector
    JsonNode pickups = ok(courier.get("/api/v1/transport/pickups?districtCode=" + c.district()), 200).json();
    assertThat(pickups.size()).isEqualTo(1);
    assertThat(pickups.get(0).path("siteCode").asString()).isEqualTo(c.site());
    assertThat(pickups.get(0).path("siteName").asString()).isEqualTo("采样点 " + c.site());
    assertThat(pickups.get(0).path("boxes").get(0).path("boxCode").asString()).isEqualTo(box);
    assertThat(pickups.get(0).path("boxes").get(0).path("tubeCount").asInt()).isEqualTo(1);
    assertThat(ok(c.collector().get("/api/v1/transport/pickups"), 200).json().get(0).path("siteCode").asString()).isEqualTo(c.site());
    assertThat(corner().collector().get("/api/v1/transport/pickups?siteCode=" + c.site()).code()).isEqualTo("OUT_OF_SCOPE");
    Api.Res unknownSite = courier.get("/api/v1/transport/pickups?siteCode=" + unique("S"));
    assertThat(unknownSite.status()).isEqualTo(400);
    assertThat(unknownSite.str("field")).isEqualTo("siteCode");

    // ---- on the road to the lab, then at its door
    ok(courier.post("/api/v1/boxes/" + box + "/handover", Map.of("labCode", c.lab())), 200);
    assertThat(ok(courier.get("/api/v1/transport/pickups?districtCode=" + c.district()), 200).json().size()).isZero();
    JsonNode incoming = ok(tech.get("/api/v1/labs/" + c.lab() + "/incoming"), 200).json();
    assertThat(incoming.get(0).path("boxCode").asString()).isEqualTo(box);
    assertThat(incoming.get(0).path("status").asString()).isEqualTo("IN_TRANSIT");
    ok(courier.post("/api/v1/boxes/" + box + "/arrival", Map.of("labCode", c.lab())), 200);
    JsonNode delivered = ok(courier.get("/api/v1/transport/deliveries"), 200).json();
    assertThat(delivered.get(0).path("boxCode").asString()).isEqualTo(box);
    assertThat(delivered.get(0).path("labCode").asString()).isEqualTo(c.lab());
    Api.Res badDate = courier.get("/api/v1/transport/deliveries?date=yesterday");
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.str("field")).isEqualTo("date");

    // ---- opened at the bench: an open receipt; the received tube waits for a plate
    ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts", Map.of("boxCode", box)), 200);
    ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/tubes", Map.of("tubeCode", tube)), 200);
    JsonNode receipts = ok(tech.get("/api/v1/labs/" + c.lab() + "/receipts"), 200).json();
    assertThat(receipts.get(0).path("boxCode").asString()).isEqualTo(box);
    assertThat(receipts.get(0).path("received").asInt()).isEqualTo(1);
    assertThat(receipts.get(0).path("expected").asInt()).isEqualTo(1);
    assertThat(ok(tech.get("/api/v1/labs/" + c.lab() + "/incoming"), 200).json().size()).isZero();
    ok(tech.post("/api/v1/labs/" + c.lab() + "/receipts/" + box + "/close", Map.of()), 200);
    assertThat(ok(tech.get("/api/v1/labs/" + c.lab() + "/receipts"), 200).json().size()).isZero();
    JsonNode waiting = ok(tech.get("/api/v1/labs/" + c.lab() + "/tubes"), 200).json();
    assertThat(waiting.get(0).path("tubeCode").asString()).isEqualTo(tube);
    assertThat(waiting.get(0).path("boxCode").asString()).isEqualTo(box);
    Api.Res badState = tech.get("/api/v1/labs/" + c.lab() + "/tubes?state=LOST");
    assertThat(badState.status()).isEqualTo(400);
    assertThat(badState.str("field")).isEqualTo("state");
    Api.Res badLab = staff("OFFICIAL", null, null).get("/api/v1/labs/" + unique("L") + "/tubes");
    assertThat(badLab.status()).isEqualTo(400);
    assertThat(badLab.str("field")).isEqualTo("labCode");
    assertThat(staff("LAB_TECH", null, corner().lab()).get("/api/v1/labs/" + c.lab() + "/tubes").code()).isEqualTo("OUT_OF_SCOPE");

    // ---- a positive run waits for review, then leaves the queue
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(tube), false)), 200);
    JsonNode review = ok(reviewer.get("/api/v1/labs/" + c.lab() + "/runs"), 200).json();
    assertThat(review.get(0).path("runId").asString()).isEqualTo(run);
    assertThat(review.get(0).path("samples").asInt()).isEqualTo(1);
    assertThat(review.get(0).path("positives").asInt()).isEqualTo(1);
    Api.Res badStatus = reviewer.get("/api/v1/labs/" + c.lab() + "/runs?status=DONE");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.str("field")).isEqualTo("status");
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    assertThat(ok(reviewer.get("/api/v1/labs/" + c.lab() + "/runs"), 200).json().size()).isZero();

    // ---- where is the tube: every step from opening to release, in order
    JsonNode custody = ok(courier.get("/api/v1/custody?tubeCode=" + tube), 200).json();
    assertThat(custody.path("steps").valueStream().map(s -> s.path("event").asString()).toList()).containsExactly(
        "TUBE_OPENED", "TUBE_SEALED", "BOX_OPENED", "PACKED", "BOX_SEALED", "BOX_HANDED_OVER", "BOX_ARRIVED", "BOX_RECEIVED",
        "RECEIVED", "ON_PLATE", "TESTED", "RELEASED");
    assertThat(custody.path("where").asString()).isEqualTo(c.lab());
    JsonNode boxCustody = ok(c.collector().get("/api/v1/custody?boxCode=" + box), 200).json();
    assertThat(boxCustody.path("tubeCodes").get(0).asString()).isEqualTo(tube);
    assertThat(boxCustody.path("lastEvent").asString()).isEqualTo("BOX_RECEIVED");
    assertThat(corner().collector().get("/api/v1/custody?tubeCode=" + tube).code()).isEqualTo("OUT_OF_SCOPE");
    Api.Res neither = courier.get("/api/v1/custody");
    assertThat(neither.status()).isEqualTo(400);
    assertThat(neither.str("field")).isEqualTo("tubeCode");
    assertThat(courier.get("/api/v1/custody?tubeCode=" + unique("T")).code()).isEqualTo("TUBE_NOT_FOUND");
  }
}
