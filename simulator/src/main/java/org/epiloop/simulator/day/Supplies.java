package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Supplies through the day (--site-stock, G1): before the day an official records the stock at
 * every site (swabs, tubes of each size the day opens) and lab (PCR reactions); after it, the
 * server's settlement must have taken exactly what the day used — a tube per tube opened, a swab
 * per person bound, a reaction per well plated — and no stock may be negative.
 */
final class Supplies {

  private static final String[] SITE_ITEMS = {"SWAB", "TUBE_1", "TUBE_5", "TUBE_10", "TUBE_20"};

  private final CityDay day;
  private volatile boolean on;

  Supplies(CityDay day) {
    this.day = day;
  }

  boolean on() {
    return on;
  }

  /** Records the starting stock; false (and off) when the server has no supplies module. */
  boolean setup() {
    long stock = day.o.siteStock;
    if (stock <= 0) {
      return false;
    }
    String token = day.city.official.token();
    for (int s = 0; s < day.o.sites; s++) {
      for (String item : SITE_ITEMS) {
        ApiResponse r = day.http.post("POST /supplies/stock/receipts", "/api/v1/supplies/stock/receipts", token,
            City.map("holderKind", "SITE", "holderCode", day.city.site(s), "item", item, "quantity", stock));
        if (r.status() == 404 && s == 0) {
          day.log.info("the server has no supplies (404): supply checks skipped");
          return false;
        }
        if (!r.is2xx()) {
          day.metrics.error("POST /supplies/stock/receipts", r, day.city.site(s));
          return false;
        }
      }
    }
    for (int l = 0; l < day.o.labs; l++) {
      ApiResponse r = day.http.post("POST /supplies/stock/receipts", "/api/v1/supplies/stock/receipts", token,
          City.map("holderKind", "LAB", "holderCode", day.city.lab(l), "item", "PCR_REACTION", "quantity", day.o.labStock));
      if (!r.is2xx()) {
        day.metrics.error("POST /supplies/stock/receipts", r, day.city.lab(l));
        return false;
      }
    }
    on = true;
    day.log.info("supplies: %d of each swab and tube at %d sites, %d reactions at %d labs", stock, day.o.sites, day.o.labStock, day.o.labs);
    return true;
  }

  /** Settles, then compares every site's and lab's stock with what the day used. */
  Invariants.Check check() {
    String token = day.city.official.token();
    ApiResponse settled = day.http.post("POST /supplies/settlement", "/api/v1/supplies/settlement", token, Map.of());
    List<String> problems = new ArrayList<>();
    if (!settled.is2xx()) {
      problems.add("settlement answered " + settled.errorKey());
    }
    long tubes = 0;
    long swabs = 0;
    long reactions = 0;
    long negative = 0;
    for (int s = 0; s < day.o.sites; s++) {
      Map<String, Long> used = new HashMap<>();
      for (Tube t : day.tubes) {
        if (t.site == s && (t.size() > 0 || t.sealed)) {
          used.merge("TUBE_" + t.capacity, 1L, Long::sum);
          used.merge("SWAB", (long) t.size(), Long::sum);
        }
      }
      tubes += used.entrySet().stream().filter(e -> e.getKey().startsWith("TUBE_")).mapToLong(Map.Entry::getValue).sum();
      swabs += used.getOrDefault("SWAB", 0L);
      Map<String, long[]> lines = lines("SITE", day.city.site(s), token);
      for (String item : SITE_ITEMS) {
        long[] l = lines.getOrDefault(item, new long[] {0, 0});
        negative += l[0] < 0 ? 1 : 0;
        long took = day.o.siteStock - l[0] + l[1];
        long expected = used.getOrDefault(item, 0L);
        if (took != expected) {
          problems.add(day.city.site(s) + " " + item + ": stock shows " + took + " used (" + l[0] + " left, " + l[1]
              + " unaccounted), the day used " + expected);
        }
      }
    }
    // the day counts wells per lab where the lab has a kit lot (ADR 0026); without one the labs are not checked here
    boolean kits = !day.city.kitLots.isEmpty() && day.city.kitLots.get(0) != null;
    for (int l = 0; kits && l < day.o.labs; l++) {
      long[] line = lines("LAB", day.city.lab(l), token).getOrDefault("PCR_REACTION", new long[] {0, 0});
      negative += line[0] < 0 ? 1 : 0;
      long took = day.o.labStock - line[0] + line[1];
      long expected = day.kitReactions.get(l).get();
      reactions += expected;
      if (took != expected) {
        problems.add(day.city.lab(l) + " PCR_REACTION: stock shows " + took + " used, the day plated " + expected + " wells");
      }
    }
    if (negative > 0) {
      problems.add(0, negative + " stock lines negative");
    }
    return new Invariants.Check("supplies: stock never negative, settlement took exactly the tubes, swabs and wells of the day",
        problems.isEmpty(), tubes + " tubes, " + swabs + " swabs, " + reactions + " reactions settled"
            + (problems.isEmpty() ? "" : "; " + Invariants.first(problems)));
  }

  /** item → {quantity, unaccounted} of one holder. */
  private Map<String, long[]> lines(String kind, String code, String token) {
    Map<String, long[]> out = new HashMap<>();
    ApiResponse r = day.http.get("GET /supplies/stock", "/api/v1/supplies/stock?holderKind=" + kind + "&holderCode=" + code, token);
    if (r.is2xx()) {
      for (JsonNode l : r.body()) {
        out.put(l.path("item").asText(), new long[] {l.path("quantity").asLong(), l.path("unaccounted").asLong()});
      }
    }
    return out;
  }
}
