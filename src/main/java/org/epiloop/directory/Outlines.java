package org.epiloop.directory;

import java.util.function.BiFunction;
import org.epiloop.shared.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A district's outline as GeoJSON (RFC 7946): a Polygon or a MultiPolygon (a district with an
 * enclave or an island), given bare or as a Feature, since that is how boundary datasets hand
 * them out. It is checked here and rebuilt from its numbers alone, so what is stored is always
 * the same shape whatever came in (no properties, no foreign members, no altitude), and a
 * wrong point is a 400 naming it ({@code outline.coordinates[0][17]}) instead of a map that
 * silently draws nothing.
 */
final class Outlines {

  /**
   * Points in one outline. A district drawn at ~100 m, as the bundled dataset is, needs a few
   * thousand; the map redraws every outline on each refresh, so a survey-grade one is refused.
   */
  static final int MAX_POINTS = 20_000;
  /** Polygons and holes together in one outline. */
  static final int MAX_RINGS = 500;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Outlines() {}

  /** The outline as a canonical geometry {type, coordinates}; 400 INVALID_OUTLINE naming the field otherwise. */
  static ObjectNode canonical(JsonNode outline) {
    String field = "outline";
    JsonNode geometry = outline;
    if (geometry == null || !geometry.isObject()) {
      throw invalid(field, "outline must be a GeoJSON object: a Polygon, a MultiPolygon, or a Feature with one");
    }
    if ("Feature".equals(geometry.path("type").asString(""))) {
      field = "outline.geometry";
      geometry = geometry.get("geometry");
      if (geometry == null || !geometry.isObject()) {
        throw invalid(field, "the Feature has no geometry object");
      }
    }
    String type = geometry.path("type").asString("");
    JsonNode coordinates = geometry.get("coordinates");
    String at = field + ".coordinates";
    Count count = new Count();
    ArrayNode rebuilt = switch (type) {
      case "Polygon" -> polygon(coordinates, at, count);
      case "MultiPolygon" -> each(array(coordinates, at, "a list of polygons", 1), at, (p, f) -> polygon(p, f, count));
      default -> throw invalid(field + ".type", "type must be Polygon or MultiPolygon (or a Feature with one)");
    };
    ObjectNode canonical = NODES.objectNode();
    canonical.put("type", type);
    canonical.set("coordinates", rebuilt);
    return canonical;
  }

  /** Points and rings seen so far in one outline, against the limits. */
  private static final class Count {
    int points;
    int rings;

    void ring(String at) {
      if (++rings > MAX_RINGS) {
        throw invalid(at, "an outline has at most " + MAX_RINGS + " rings");
      }
    }

    void point(String at) {
      if (++points > MAX_POINTS) {
        throw invalid(at, "an outline has at most " + MAX_POINTS + " points; simplify it");
      }
    }
  }

  private static ArrayNode polygon(JsonNode node, String at, Count count) {
    return each(array(node, at, "a list of rings (the outer boundary, then any holes)", 1), at, (r, f) -> {
      count.ring(at);
      return ring(r, f, count);
    });
  }

  private static ArrayNode ring(JsonNode node, String at, Count count) {
    ArrayNode out = each(array(node, at, "a ring of [longitude, latitude] points", 4), at, (p, f) -> {
      count.point(at);
      return point(p, f);
    });
    if (!out.get(0).equals(out.get(out.size() - 1))) {
      throw invalid(at, "a ring ends at the point where it starts");
    }
    return out;
  }

  /** Each item rebuilt, named by its place in the list ({@code at[i]}) when it is refused. */
  private static ArrayNode each(ArrayNode items, String at, BiFunction<JsonNode, String, JsonNode> rebuild) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < items.size(); i++) {
      out.add(rebuild.apply(items.get(i), at + "[" + i + "]"));
    }
    return out;
  }

  private static ArrayNode point(JsonNode node, String at) {
    // [longitude, latitude] or [longitude, latitude, altitude]; the altitude is dropped
    if (node == null || !node.isArray() || node.size() < 2 || node.size() > 3) {
      throw invalid(at, "a point is [longitude, latitude]");
    }
    for (JsonNode n : node) {
      if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
        throw invalid(at, "a point is [longitude, latitude] in decimal degrees");
      }
    }
    double lon = node.get(0).doubleValue();
    double lat = node.get(1).doubleValue();
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw invalid(at, "longitude is -180…180 and latitude -90…90 (GeoJSON puts the longitude first)");
    }
    return NODES.arrayNode().add(lon).add(lat);
  }

  private static ArrayNode array(JsonNode node, String at, String what, int min) {
    if (node == null || !node.isArray()) {
      throw invalid(at, at + " must be " + what);
    }
    if (node.size() < min) {
      throw invalid(at, at + " must be " + what + " with at least " + min);
    }
    return (ArrayNode) node;
  }

  private static ApiException invalid(String field, String detail) {
    return ApiException.badRequest("INVALID_OUTLINE", field, detail);
  }
}
