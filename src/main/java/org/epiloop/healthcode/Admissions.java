package org.epiloop.healthcode;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.epiloop.results.PersonResults;
import org.epiloop.venue.Venues;
import org.springframework.stereotype.Service;

/**
 * Whether a venue lets a person in (V2): red and yellow codes are not admitted, and a venue may
 * also require a negative test sampled within some hours. The reason is in words the person
 * and the door can read.
 */
@Service
class Admissions {

  private final HealthCodes codes;
  private final PersonResults results;

  Admissions(HealthCodes codes, PersonResults results) {
    this.codes = codes;
    this.results = results;
  }

  record Decision(HealthColor color, boolean admitted, String reason) {}

  Decision at(UUID personId, Venues.Venue venue, Instant now) {
    HealthColor color = codes.current(personId).color();
    if (color != HealthColor.GREEN) {
      return new Decision(color, false, "健康码非绿码 The health code is " + color);
    }
    Integer hours = venue.negativeTestWithinHours();
    if (hours != null) {
      Instant lastNegative = results.standing(personId).lastNegativeSampledAt();
      if (lastNegative == null || lastNegative.isBefore(now.minus(Duration.ofHours(hours)))) {
        return new Decision(color, false, "需" + hours + "小时内核酸阴性 A negative test within " + hours + " hours is required here");
      }
    }
    return new Decision(color, true, null);
  }
}
