package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.env.SensorGateway;

/**
 * The labs' sensor gateways during the day (--sensor-readings-per-second): each lab gets a room
 * with --sensor-devices devices and a gateway key, and the readings of all labs together arrive
 * at the chosen rate, in batches of at most 500 a second per lab, until the day ends.
 */
final class Sensors implements Runnable {

  private final CityDay day;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong refused = new AtomicLong();

  Sensors(CityDay day) {
    this.day = day;
  }

  @Override
  public void run() {
    DayOptions o = day.o;
    List<SensorGateway> gateways = new ArrayList<>();
    for (int l = 0; l < o.labs; l++) {
      gateways.add(SensorGateway.setUp(day.http.client(), day.city.adminToken, day.city.labs.get(l), o.sensorDevices, o.seed + l));
    }
    day.log.info("sensors: %d labs x %d devices, %d readings/s in all", o.labs, o.sensorDevices, o.sensorReadingsPerSecond);
    int perLab = Math.max(1, o.sensorReadingsPerSecond / o.labs);
    long next = System.nanoTime();
    while (!day.sensorsDone()) {
      for (SensorGateway g : gateways) {
        for (int left = perLab; left > 0; left -= 500) {
          ApiResponse r = g.send(g.batch(Math.min(500, left), Instant.now()));
          if (r.is2xx()) {
            sent.addAndGet(r.body().path("accepted").asLong());
          } else {
            refused.incrementAndGet();
          }
        }
      }
      next += 1_000_000_000L;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else {
        next = System.nanoTime(); // behind: do not try to catch up in a burst
      }
    }
    day.log.info("sensors: %d readings accepted, %d batches refused", sent.get(), refused.get());
  }
}
