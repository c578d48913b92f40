package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/**
 * A courier: takes the next sealed box, hands it over for its lab, reports a position on the
 * way and delivers it (arrival at the lab). Sometimes reports the arrival twice (a retry),
 * which must answer the same.
 */
final class Courier implements Runnable {

  private final CityDay day;
  private final City.Staff courier;
  private final SplittableRandom random;

  Courier(CityDay day, int number) {
    this.day = day;
    this.courier = day.city.couriers.get(number);
    this.random = new SplittableRandom(day.o.seed * 7_000_003L + number);
  }

  @Override
  public void run() {
    while (!day.finished()) {
      Box box;
      try {
        box = day.toShip.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (box != null) {
        carry(box);
      }
    }
  }

  private void carry(Box box) {
    String lab = day.city.lab(box.lab);
    String base = "/api/v1/boxes/" + box.code;
    ApiResponse h = day.http.post("POST /boxes/{box}/handover", base + "/handover", courier.token(), Map.of("labCode", lab));
    if (h.status() != 200) {
      box.tubes.forEach(t -> day.abandon(t, "box " + box.code + " handover: " + h.errorKey()));
      return;
    }
    double[] from = day.city.siteLocations.get(box.site);
    double[] to = day.city.labLocations.get(box.lab);
    double f = 0.3 + random.nextDouble() * 0.4;
    day.http.post("POST /boxes/{box}/locations", base + "/locations", courier.token(),
        Map.of("latitude", from[0] + (to[0] - from[0]) * f, "longitude", from[1] + (to[1] - from[1]) * f));
    ApiResponse a = day.http.post("POST /boxes/{box}/arrival", base + "/arrival", courier.token(), Map.of("labCode", lab));
    if (a.status() != 200) {
      box.tubes.forEach(t -> day.abandon(t, "box " + box.code + " arrival: " + a.errorKey()));
      return;
    }
    if (random.nextDouble() < day.o.retryRate) {
      day.metrics.count("fault: arrivals reported twice");
      ApiResponse again = day.http.post("POST /boxes/{box}/arrival", base + "/arrival", courier.token(), Map.of("labCode", lab));
      if (again.status() != 200 || !java.util.Objects.equals(a.text("status"), again.text("status"))) {
        day.retryMismatches.add("arrival of " + box.code + " reported twice: " + a.text("status") + " then " + again.errorKey() + " "
            + again.text("status"));
      }
    }
    box.deliveredAt = Instant.now();
    day.metrics.stage("transport");
    day.delivered.get(box.lab).add(box);
  }
}
