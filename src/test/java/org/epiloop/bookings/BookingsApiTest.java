package org.epiloop.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** L9: a site books a slot; the lab sees expected against arrived; an overloaded lab's boxes are routed elsewhere. */
class BookingsApiTest extends IntegrationTest {

  @Test
  void expectedAgainstArrivedPerSlotAndARoutingSuggestion() throws InterruptedException {
    Corner c = corner();
    Api director = staff("LAB_DIRECTOR", null, c.lab());
    Instant now = clock.instant();
    String start = now.minus(Duration.ofMinutes(30)).toString();
    String end = now.plus(Duration.ofHours(2)).toString();
    JsonNode slot = ok(c.collector().post("/api/v1/bookings", Api.obj("labCode", c.lab(), "siteCode", c.site(), "startsAt", start,
        "endsAt", end, "expectedTubes", 3)), 201).json();
    assertThat(slot.path("expectedTubes").asInt()).isEqualTo(3);
    // a collector books for their own site only; a slot must end after it starts
    Corner other = corner();
    assertThat(c.collector().post("/api/v1/bookings", Api.obj("labCode", c.lab(), "siteCode", other.site(), "startsAt", start,
        "endsAt", end, "expectedTubes", 3)).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(c.collector().post("/api/v1/bookings", Api.obj("labCode", c.lab(), "siteCode", c.site(), "startsAt", end,
        "endsAt", start, "expectedTubes", 3)).code()).isEqualTo("INVALID_SLOT");
    // two tubes arrive in one box within the slot
    String t1 = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String t2 = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), staff("COURIER", null, null), box, c.lab(), List.of(t1, t2));
    Flows.receive(staff("LAB_TECH", null, c.lab()), c.lab(), box, List.of(t1, t2));
    // the box's arrival reaches the slot through an event, after the receipt's transaction
    JsonNode slots = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> ok(director.get("/api/v1/labs/" + c.lab() + "/bookings"), 200).json(),
            j -> j.get(0).path("arrivedTubes").asInt() > 0);
    assertThat(slots.size()).isEqualTo(1);
    assertThat(slots.get(0).path("siteCode").asString()).isEqualTo(c.site());
    assertThat(slots.get(0).path("expectedTubes").asInt()).isEqualTo(3);
    assertThat(slots.get(0).path("arrivedTubes").asInt()).isEqualTo(2);
    assertThat(slots.get(0).path("arrivedBoxes").asInt()).isEqualTo(1);
    // a small lab booked past its capacity: new boxes are suggested elsewhere
    String small = unique("L");
    ok(admin().post("/api/v1/labs", Api.obj("code", small, "name", "Small " + small, "districtCode", c.district(), "dailyCapacity", 4,
        "latitude", 33.9, "longitude", 118.2)), 201);
    ok(admin().post("/api/v1/bookings", Api.obj("labCode", small, "siteCode", c.site(), "startsAt", start, "endsAt", end, "expectedTubes", 10)), 201);
    JsonNode routing = ok(staff("COURIER", null, null).get("/api/v1/bookings/routing"), 200).json();
    JsonNode load = routing.path("labs").valueStream().filter(l -> l.path("labCode").asString().equals(small)).findFirst().orElseThrow();
    assertThat(load.path("stillBooked").asInt()).isEqualTo(10);
    assertThat(load.path("overloaded").asBoolean()).isTrue();
    JsonNode mine = routing.path("labs").valueStream().filter(l -> l.path("labCode").asString().equals(c.lab())).findFirst().orElseThrow();
    assertThat(mine.path("receivedToday").asInt()).isEqualTo(2);
    assertThat(mine.path("stillBooked").asInt()).isEqualTo(1);
    List<JsonNode> suggestions = routing.path("suggestions").valueStream().filter(s -> s.path("from").asString().equals(small)).toList();
    assertThat(suggestions).isNotEmpty();
    assertThat(suggestions).allMatch(s -> !s.path("to").asString().equals(small) && s.path("freeTubes").asInt() > 0);
    assertThat(routing.path("suggestions").valueStream().noneMatch(s -> s.path("from").asString().equals(c.lab()))).isTrue();
  }
}
