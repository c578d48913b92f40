package org.epiloop.simulator.dash;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-centre endpoints a wall screen polls (API.md, "Command centre"), and the order in which
 * the bench's clients take them: round-robin, each client starting at its own offset so that the
 * clients are spread over the endpoints rather than all asking for the same one at once.
 */
final class DashEndpoints {

  /** One endpoint as the report names it. */
  record Endpoint(String name, String path) {}

  /** The names {@code --endpoints} accepts, in report order. */
  static final List<String> NAMES = List.of("summary", "summary-district", "districts", "labs", "sites", "sites-district", "trend",
      "trend-district", "turnaround", "alerts");

  private DashEndpoints() {}

  /** All endpoints, city-wide and for {@code district}. */
  static List<Endpoint> all(String district) {
    String d = URLEncoder.encode(district, StandardCharsets.UTF_8);
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("summary", "/api/v1/dashboard/summary");
    paths.put("summary-district", "/api/v1/dashboard/summary?districtCode=" + d);
    paths.put("districts", "/api/v1/dashboard/districts");
    paths.put("labs", "/api/v1/dashboard/labs");
    paths.put("sites", "/api/v1/dashboard/sites");
    paths.put("sites-district", "/api/v1/dashboard/sites?districtCode=" + d);
    paths.put("trend", "/api/v1/dashboard/trend");
    paths.put("trend-district", "/api/v1/dashboard/trend?districtCode=" + d);
    paths.put("turnaround", "/api/v1/dashboard/turnaround");
    paths.put("alerts", "/api/v1/dashboard/alerts");
    List<Endpoint> out = new ArrayList<>();
    paths.forEach((name, path) -> out.add(new Endpoint(name, path)));
    return out;
  }

  /**
   * The endpoints named in {@code selection} (comma-separated, any order; null or blank: all), in
   * report order.
   *
   * @throws IllegalArgumentException for an unknown name or an empty selection
   */
  static List<Endpoint> select(String district, String selection) {
    List<Endpoint> all = all(district);
    if (selection == null || selection.isBlank()) {
      return all;
    }
    List<String> wanted = new ArrayList<>();
    for (String s : selection.split(",")) {
      String n = s.trim();
      if (n.isEmpty()) {
        continue;
      }
      if (!NAMES.contains(n)) {
        throw new IllegalArgumentException("unknown endpoint '" + n + "'; known: " + String.join(", ", NAMES));
      }
      wanted.add(n);
    }
    List<Endpoint> out = all.stream().filter(e -> wanted.contains(e.name())).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no endpoint selected");
    }
    return out;
  }

  /** Which endpoint (index) client {@code client} asks for in its {@code request}-th request (from 0). */
  static int pick(int client, long request, int endpoints) {
    return (int) Math.floorMod(client + request, (long) endpoints);
  }
}
