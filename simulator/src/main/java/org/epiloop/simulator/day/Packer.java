package org.epiloop.simulator.day;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Packs a site's sealed tubes into transport boxes: a box is opened, filled scan by scan and
 * sealed with its count when {@code --box-size} tubes wait, or when the oldest has waited
 * {@code --box-wait-ms}; then it waits for a courier.
 */
final class Packer implements Runnable {

  private final CityDay day;
  private final int site;
  private final City.Staff collector;
  private final List<Tube> pending = new ArrayList<>();

  Packer(CityDay day, int site) {
    this.day = day;
    this.site = site;
    this.collector = day.city.collectors.get(site).get(0);
  }

  @Override
  public void run() {
    while (!day.finished()) {
      try {
        Tube t = day.sealed.get(site).poll(100, TimeUnit.MILLISECONDS);
        if (t != null) {
          pending.add(t);
          day.sealed.get(site).drainTo(pending);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      while (!pending.isEmpty() && (pending.size() >= day.o.boxSize
          || Duration.between(pending.get(0).sealedAt, Instant.now()).toMillis() >= day.o.boxWaitMillis)) {
        List<Tube> chunk = new ArrayList<>(pending.subList(0, Math.min(day.o.boxSize, pending.size())));
        pending.subList(0, chunk.size()).clear();
        pack(chunk);
      }
    }
  }

  private void pack(List<Tube> tubes) {
    String code = day.newBoxCode();
    ApiResponse opened = day.http.post("POST /boxes", "/api/v1/boxes", collector.token(), Map.of("boxCode", code));
    if (opened.status() != 201) {
      tubes.forEach(t -> day.abandon(t, "box " + code + " could not be opened: " + opened.errorKey()));
      return;
    }
    List<Tube> packed = new ArrayList<>();
    for (Tube t : tubes) {
      ApiResponse r = day.http.post("POST /boxes/{box}/tubes", "/api/v1/boxes/" + code + "/tubes", collector.token(),
          Map.of("tubeCode", t.code));
      if (r.status() == 200) {
        packed.add(t);
        if (r.body().path("tubeCount").asInt(-1) != packed.size()) {
          day.reconcileProblems.add("box " + code + ": tubeCount " + r.body().path("tubeCount").asText() + " after packing "
              + packed.size() + " tubes");
        }
      } else {
        day.abandon(t, "could not be packed into " + code + ": " + r.errorKey());
      }
    }
    if (packed.isEmpty()) {
      return;
    }
    ApiResponse s = day.http.post("POST /boxes/{box}/seal", "/api/v1/boxes/" + code + "/seal", collector.token(), Map.of());
    if (s.status() != 200) {
      packed.forEach(t -> day.abandon(t, "box " + code + " could not be sealed: " + s.errorKey()));
      return;
    }
    if (s.body().path("tubeCount").asInt(-1) != packed.size()) {
      day.reconcileProblems.add("box " + code + " sealed with tubeCount " + s.body().path("tubeCount").asText() + ", packed "
          + packed.size());
    }
    Box box = new Box(code, site, day.labOf(site), packed);
    box.sealedAt = Instant.now();
    packed.forEach(t -> t.box = box);
    day.boxes.add(box);
    day.metrics.stage("packing");
    day.toShip.add(box);
  }
}
