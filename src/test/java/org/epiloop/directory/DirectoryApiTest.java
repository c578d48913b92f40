package org.epiloop.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

  @Test
  void anAdminSetsADistrictsOutlineAndStaffReadItForTheMap() throws IOException {
    String d = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", d, "name", "宿城区")), 201);
    assertThat(district(d).path("hasOutline").asBoolean()).isFalse();

    // a boundary dataset's feature, as the bundled demo data hands it out (properties, encodeOffsets)
    JsonNode feature;
    try (InputStream in = new ClassPathResource("demo/suqian-districts.geojson").getInputStream()) {
      feature = JsonMapper.builder().build().readTree(in).path("features").get(0);
    }
    Api.Res set = ok(admin().put("/api/v1/districts/" + d + "/outline", Map.of("outline", feature)), 200);
    assertThat(set.json().path("hasOutline").asBoolean()).isTrue();
    assertThat(district(d).path("hasOutline").asBoolean()).isTrue();

    // an official reads it as a FeatureCollection: the geometry alone, canonical, named by the district
    JsonNode mine = outline(staff("OFFICIAL", null, null), d);
    assertThat(mine.path("type").asString()).isEqualTo("Feature");
    assertThat(mine.path("properties").path("name").asString()).isEqualTo("宿城区");
    assertThat(mine.path("geometry").path("type").asString()).isEqualTo("Polygon");
    assertThat(mine.path("geometry").has("encodeOffsets")).isFalse();
    assertThat(mine.path("geometry").path("coordinates").get(0).size())
        .isEqualTo(feature.path("geometry").path("coordinates").get(0).size());
    assertThat(mine.path("geometry").path("coordinates").get(0).get(5))
        .isEqualTo(feature.path("geometry").path("coordinates").get(0).get(5));

    // replaced by a bare MultiPolygon (an altitude is dropped), then removed
    List<List<List<List<Double>>>> two = List.of(square(118.0, 33.0, 0.1), square(118.5, 33.0, 0.1));
    ok(admin().put("/api/v1/districts/" + d + "/outline", Map.of("outline", Map.of("type", "MultiPolygon", "coordinates", two))), 200);
    JsonNode multi = outline(admin(), d).path("geometry");
    assertThat(multi.path("type").asString()).isEqualTo("MultiPolygon");
    assertThat(multi.path("coordinates").size()).isEqualTo(2);
    List<List<List<Double>>> withAltitude = List.of(List.of(List.of(118.0, 33.0, 12.5), List.of(118.1, 33.0, 3.0),
        List.of(118.1, 33.1, 0.0), List.of(118.0, 33.0, 12.5)));
    ok(admin().put("/api/v1/districts/" + d + "/outline", Map.of("outline", Map.of("type", "Polygon", "coordinates", withAltitude))), 200);
    assertThat(outline(admin(), d).path("geometry").path("coordinates").get(0).get(0).size()).isEqualTo(2);
    ok(admin().delete("/api/v1/districts/" + d + "/outline"), 200);
    assertThat(district(d).path("hasOutline").asBoolean()).isFalse();
    assertThat(features(admin()).stream().map(f -> f.path("id").asString())).doesNotContain(d);
  }

  @Test
  void aBadOutlineIsA400NamingItsBadPart() {
    String d = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", d, "name", "x")), 201);
    String path = "/api/v1/districts/" + d + "/outline";
    List<List<Double>> closed = square(118.0, 33.0, 0.1).get(0);
    java.util.function.BiConsumer<Object, String> refused = (outline, field) -> {
      Api.Res r = admin().put(path, outline == null ? Map.of() : Map.of("outline", outline));
      assertThat(r.status()).as(String.valueOf(outline)).isEqualTo(400);
      assertThat(r.str("field")).as(String.valueOf(outline)).isEqualTo(field);
      assertThat(r.code()).isIn("INVALID_OUTLINE", "FIELD_REQUIRED");
    };
    refused.accept(null, "outline");
    refused.accept("a polygon", "outline");
    refused.accept(List.of(1, 2), "outline");
    refused.accept(Map.of("type", "Point", "coordinates", List.of(118.0, 33.0)), "outline.type");
    refused.accept(Map.of("type", "Polygon"), "outline.coordinates");
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of()), "outline.coordinates");
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of(closed.subList(0, 3))), "outline.coordinates[0]");
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of(List.of(closed.get(0), closed.get(1), closed.get(2), closed.get(3)))),
        "outline.coordinates[0]");
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of(List.of(closed.get(0), List.of(33.0, 218.0), closed.get(2),
        closed.get(0)))), "outline.coordinates[0][1]");
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of(List.of(closed.get(0), List.of("118", "33"), closed.get(2),
        closed.get(0)))), "outline.coordinates[0][1]");
    refused.accept(Map.of("type", "MultiPolygon", "coordinates", List.of(List.of(closed), List.of(List.of(closed.get(0))))),
        "outline.coordinates[1][0]");
    refused.accept(Map.of("type", "Feature", "properties", Map.of()), "outline.geometry");
    refused.accept(Map.of("type", "Feature", "geometry", Map.of("type", "LineString", "coordinates", closed)), "outline.geometry.type");
    // a survey-grade outline is refused: the wall map redraws every outline
    List<List<Double>> huge = new java.util.ArrayList<>();
    for (int i = 0; i < 20_001; i++) {
      huge.add(List.of(118.0 + i * 1e-6, 33.0 + (i % 2) * 1e-3));
    }
    huge.add(huge.get(0));
    refused.accept(Map.of("type", "Polygon", "coordinates", List.of(huge)), "outline.coordinates[0]");
    assertThat(district(d).path("hasOutline").asBoolean()).as("nothing was stored").isFalse();

    Api.Res unknown = admin().put("/api/v1/districts/x-nowhere/outline", Map.of("outline", Map.of("type", "Polygon", "coordinates", List.of(closed))));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("DISTRICT_NOT_FOUND");
  }

  /** A closed square ring of the given side, as a Polygon's coordinates. */
  private static List<List<List<Double>>> square(double lon, double lat, double side) {
    return List.of(List.of(List.of(lon, lat), List.of(lon + side, lat), List.of(lon + side, lat + side), List.of(lon, lat + side),
        List.of(lon, lat)));
  }

  private JsonNode district(String code) {
    for (JsonNode d : ok(admin().get("/api/v1/districts"), 200).json()) {
      if (d.path("code").asString().equals(code)) {
        return d;
      }
    }
    throw new AssertionError("no district " + code);
  }

  private static List<JsonNode> features(Api as) {
    JsonNode all = ok(as.get("/api/v1/districts/outlines"), 200).json();
    assertThat(all.path("type").asString()).isEqualTo("FeatureCollection");
    List<JsonNode> out = new java.util.ArrayList<>();
    all.path("features").forEach(out::add);
    return out;
  }

  private static JsonNode outline(Api as, String code) {
    return features(as).stream().filter(f -> f.path("id").asString().equals(code)).findFirst()
        .orElseThrow(() -> new AssertionError("no outline of " + code));
  }
}
