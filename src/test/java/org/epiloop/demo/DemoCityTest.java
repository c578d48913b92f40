package org.epiloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo city's bundled district outlines (demo/suqian-districts.geojson) fit its sites: each
 * demo district has one, and every demo site and the lab lie inside their own district's outline
 * and outside the other's, so the seeded map shows each point where the city has it.
 */
class DemoCityTest {

  @Test
  void everyDemoSiteAndTheLabLieInsideTheirDistrictsOutline() throws IOException {
    JsonNode features;
    try (InputStream in = new ClassPathResource("demo/suqian-districts.geojson").getInputStream()) {
      features = JsonMapper.builder().build().readTree(in).path("features");
    }
    Map<String, JsonNode> outlines = new HashMap<>();
    for (JsonNode f : features) {
      String code = DemoCity.DEMO_DISTRICTS.get(f.path("properties").path("name").asString(""));
      if (code != null) {
        outlines.put(code, f.path("geometry"));
      }
    }
    assertThat(outlines.keySet()).containsExactlyInAnyOrderElementsOf(DemoCity.DEMO_DISTRICTS.values());

    List<DemoCity.Place> places = new ArrayList<>(DemoCity.SITES);
    places.add(DemoCity.LAB);
    for (DemoCity.Place p : places) {
      outlines.forEach((district, geometry) -> assertThat(inside(geometry, p.longitude(), p.latitude()))
          .as(p.code() + " in " + district).isEqualTo(district.equals(p.districtCode())));
    }
  }

  /** Even-odd ray casting over every ring of a Polygon or MultiPolygon (holes count as outside). */
  private static boolean inside(JsonNode geometry, double lon, double lat) {
    List<JsonNode> polygons = new ArrayList<>();
    if ("MultiPolygon".equals(geometry.path("type").asString())) {
      geometry.path("coordinates").forEach(polygons::add);
    } else {
      polygons.add(geometry.path("coordinates"));
    }
    boolean in = false;
    for (JsonNode polygon : polygons) {
      for (JsonNode ring : polygon) {
        for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
          double xi = ring.get(i).get(0).asDouble();
          double yi = ring.get(i).get(1).asDouble();
          double xj = ring.get(j).get(0).asDouble();
          double yj = ring.get(j).get(1).asDouble();
          if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) {
            in = !in;
          }
        }
      }
    }
    return in;
  }
}
