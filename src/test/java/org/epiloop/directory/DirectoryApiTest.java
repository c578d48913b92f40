package org.epiloop.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Districts, sites and labs (S1), and the public site finder. */
class DirectoryApiTest extends IntegrationTest {

  @Test
  void adminSetsUpACity() {
    String d = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", d, "name", "沭阳县")), 201);
    assertThat(admin().post("/api/v1/districts", Api.obj("code", d, "name", "again")).code()).isEqualTo("DISTRICT_EXISTS");
    String s = unique("S");
    Api.Res site = ok(admin().post("/api/v1/sites", Api.obj("code", s, "name", "Far site", "districtCode", d,
        "latitude", 10.0, "longitude", 10.0)), 201);
    assertThat(site.str("districtCode")).isEqualTo(d);
    Api.Res lab = ok(admin().post("/api/v1/labs", Api.obj("code", unique("L"), "name", "Lab", "districtCode", d, "dailyCapacity", 1000)), 201);
    assertThat(lab.json().path("dailyCapacity").asInt()).isEqualTo(1000);

    Api.Res nearby = ok(api().get("/api/v1/sites/nearby?latitude=10.001&longitude=10.001&limit=1"), 200);
    assertThat(nearby.json().get(0).path("code").asString()).isEqualTo(s);
    assertThat(nearby.json().get(0).path("distanceMeters").asLong()).isBetween(100L, 200L);
  }

  @Test
  void theNearbySearchSaysHowBusyEachSiteWasInTheLastHour() {
    // far from every other test's sites, so the two nearest are these
    Corner busy = corner(-41.20, 174.70);
    String quiet = unique("S");
    ok(admin().post("/api/v1/sites", Api.obj("code", quiet, "name", "Quiet site", "districtCode", busy.district(),
        "latitude", -41.21, "longitude", 174.71, "openingHours", "08:00-12:00")), 201);
    Flows.fillTube(busy.collector(), unique("T"), 5);

    Api.Res nearby = ok(api().get("/api/v1/sites/nearby?latitude=-41.20&longitude=174.70&limit=2"), 200);
    assertThat(nearby.json().get(0).path("code").asString()).isEqualTo(busy.site());
    assertThat(nearby.json().get(0).path("sampledLastHour").asLong()).isEqualTo(5);
    assertThat(nearby.json().get(1).path("code").asString()).isEqualTo(quiet);
    assertThat(nearby.json().get(1).path("sampledLastHour").asLong()).isZero();
    assertThat(nearby.json().get(1).path("openingHours").asString()).isEqualTo("08:00-12:00");

    clock.advance(Duration.ofHours(2));
    assertThat(ok(api().get("/api/v1/sites/nearby?latitude=-41.20&longitude=174.70&limit=1"), 200).json().get(0)
        .path("sampledLastHour").asLong()).as("an hour later the site is counted as quiet again").isZero();
  }

  @Test
  void badDirectoryInputNamesTheField() {
    String d = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", d, "name", "x")), 201);
    assertThat(admin().post("/api/v1/districts", Api.obj("code", "bad code!", "name", "x")).str("field")).isEqualTo("code");
    assertThat(admin().post("/api/v1/districts", Api.obj("code", unique("D"))).str("field")).isEqualTo("name");
    Api.Res lat = admin().post("/api/v1/sites", Api.obj("code", unique("S"), "name", "x", "districtCode", d, "latitude", 91.0, "longitude", 1.0));
    assertThat(lat.status()).isEqualTo(400);
    assertThat(lat.str("field")).isEqualTo("latitude");
    assertThat(admin().post("/api/v1/sites", Api.obj("code", unique("S"), "name", "x", "districtCode", "NOPE", "latitude", 1.0, "longitude", 1.0))
        .code()).isEqualTo("UNKNOWN_DISTRICT");
    assertThat(admin().post("/api/v1/labs", Api.obj("code", unique("L"), "name", "x", "districtCode", d, "dailyCapacity", 0))
        .str("field")).isEqualTo("dailyCapacity");
    assertThat(api().get("/api/v1/sites/nearby?latitude=abc&longitude=1").str("field")).isEqualTo("latitude");
    assertThat(api().get("/api/v1/sites/nearby?latitude=1").str("field")).isEqualTo("longitude");
    assertThat(api().get("/api/v1/sites/nearby?latitude=1&longitude=1&limit=500").str("field")).isEqualTo("limit");
  }
}
