package org.epiloop.simulator.day;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Self-declarations during the day (issue 18, M1–M2): residents on accounts declare, at the
 * rate of {@code --declaration-rate}, an arrival from another region or a cough, for the
 * community grid they stay in; the invariant is that every declaration the server took produced
 * its follow-up task in that grid. The declarations name no risk area and no fever, so they leave
 * the health codes the other invariants compare untouched. Skipped when the server has no grids
 * (404).
 */
final class Declarations implements Runnable {

  /** Tasks a grid's list answers at most; the city makes enough grids to stay below it. */
  private static final int TASKS_PER_GRID = 300;

  private final CityDay day;
  private final List<String> grids = new ArrayList<>();
  private final List<Person> declarants = new ArrayList<>();
  /** Declaration id → grid, for every declaration the server took. */
  private final Map<String, String> made = new ConcurrentHashMap<>();
  private volatile boolean on;

  Declarations(CityDay day) {
    this.day = day;
  }

  /** Chooses the declarants (persons on accounts) and creates the grids; false when the server has none. */
  boolean setup() {
    Random r = new Random(day.o.seed ^ 0x6E1D5L);
    for (Person p : day.city.persons) {
      if (p.account != null && p.personId != null && r.nextDouble() < day.o.declarationRate) {
        declarants.add(p);
      }
    }
    if (declarants.isEmpty()) {
      return false;
    }
    int count = Math.max(2, (declarants.size() + TASKS_PER_GRID - 1) / TASKS_PER_GRID);
    for (int g = 0; g < count; g++) {
      String code = String.format(java.util.Locale.ROOT, "%s-g%02d", day.city.district, g + 1);
      ApiResponse res = day.http.post("POST /grids", "/api/v1/grids", day.city.adminToken,
          City.map("code", code, "name", "Grid " + (g + 1) + " (" + day.city.prefix + ")", "districtCode", day.city.district));
      if (res.status() == 404) {
        day.log.info("the server has no grids (404): declarations skipped");
        return false;
      }
      if (!res.is2xx()) {
        day.metrics.error("POST /grids", res, code);
        return false;
      }
      grids.add(code);
    }
    on = true;
    day.log.info("%d residents will declare, in %d grids", declarants.size(), grids.size());
    return true;
  }

  boolean on() {
    return on;
  }

  /** Declares, spread over the first part of the day, while the day runs. */
  @Override
  public void run() {
    Random r = new Random(day.o.seed ^ 0xDECL);
    for (int i = 0; i < declarants.size() && !day.finished(); i++) {
      Person p = declarants.get(i);
      String grid = grids.get(i % grids.size());
      Map<String, Object> body = r.nextBoolean()
          ? City.map("gridCode", grid, "fromRegion", String.format(java.util.Locale.ROOT, "%02d%02d%02d", 11 + r.nextInt(80),
              1 + r.nextInt(98), 1 + r.nextInt(98)), "arrivedAt", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1 + r.nextInt(48))
              .toString(), "transport", r.nextBoolean() ? "TRAIN" : "CAR")
          : City.map("gridCode", grid, "symptoms", List.of("COUGH"), "onsetDate",
              java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString());
      ApiResponse res = day.http.post("POST /resident/persons/{id}/declarations", "/api/v1/resident/persons/" + p.personId + "/declarations",
          p.account.token, body);
      if (res.status() == 201) {
        made.put(res.text("declarationId"), grid);
      } else {
        day.metrics.error("POST /resident/persons/{id}/declarations", res, "person on an account");
      }
      CityDay.sleep(20 + r.nextInt(40));
    }
  }

  /** Every declaration the server took produced its task in its grid (waits a little for the events). */
  Invariants.Check check() {
    Set<String> missing = new HashSet<>(made.keySet());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      for (String grid : grids) {
        ApiResponse res = day.http.get("GET /grid/tasks", "/api/v1/grid/tasks?gridCode=" + grid, day.city.official.token());
        if (res.status() == 200) {
          res.body().forEach(t -> {
            String id = t.path("declarationId").asText(null);
            if (id != null && grid.equals(t.path("gridCode").asText()) && grid.equals(made.get(id))) {
              missing.remove(id);
            }
          });
        }
      }
      if (!missing.isEmpty()) {
        CityDay.sleep(1000);
      }
    }
    return new Invariants.Check("every declaration produced its follow-up task in its grid", missing.isEmpty(),
        made.size() + " declarations by " + declarants.size() + " residents, " + (made.size() - missing.size()) + " tasks found"
            + (missing.isEmpty() ? "" : "; missing e.g. " + missing.iterator().next()));
  }
}
