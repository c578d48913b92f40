package org.epiloop.bookings;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.epiloop.alerts.AlertSource;
import org.epiloop.alerts.Alerts;
import org.epiloop.shared.Actor;
import org.springframework.stereotype.Component;

/**
 * The command centre's alert list shows each overloaded lab with where its new boxes should go
 * (L9): a computed alert, gone when the lab's day is back under its capacity.
 */
@Component
class RoutingAlerts implements AlertSource {

  private final Bookings bookings;
  private final Clock clock;

  RoutingAlerts(Bookings bookings, Clock clock) {
    this.bookings = bookings;
    this.clock = clock;
  }

  @Override
  public List<Alerts.Alert> current() {
    Bookings.Routing routing = bookings.routing(Actor.SYSTEM);
    List<Alerts.Alert> out = new ArrayList<>();
    for (Bookings.LabLoad lab : routing.labs()) {
      if (!lab.overloaded()) {
        continue;
      }
      String to = routing.suggestions().stream().filter(s -> s.from().equals(lab.labCode()))
          .map(s -> s.to() + " (" + s.freeTubes() + " free)").collect(Collectors.joining(", "));
      out.add(new Alerts.Alert("LAB_OVERLOADED", lab.labCode(), LocalDate.now(clock.withZone(Bookings.CITY)).atStartOfDay(Bookings.CITY).toInstant(),
          "Lab " + lab.labCode() + " has " + Math.round(lab.load() * 100) + "% of its daily capacity received or booked"
              + (to.isEmpty() ? "; no lab has room" : "; send new boxes to " + to)));
    }
    return out;
  }
}
