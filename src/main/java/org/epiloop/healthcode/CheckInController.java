package org.epiloop.healthcode;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.venue.CheckIns;
import org.epiloop.venue.Venues;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resident checks in at a venue by scanning its QR (V2): the check-in is stored for contact
 * finding, and the entrance learns the colour and whether to admit — red and yellow are not
 * admitted, and a venue may also require a negative test within some hours.
 */
@RestController
class CheckInController {

  private final Venues venues;
  private final CheckIns checkIns;
  private final Admissions admissions;
  private final Persons persons;
  private final Clock clock;

  CheckInController(Venues venues, CheckIns checkIns, Admissions admissions, Persons persons, Clock clock) {
    this.venues = venues;
    this.checkIns = checkIns;
    this.admissions = admissions;
    this.persons = persons;
    this.clock = clock;
  }

  record CheckInRequest(String venueToken) {}

  record CheckInAnswer(UUID checkInId, String venueName, Instant at, HealthColor color, boolean admitted, String reason) {}

  @Operation(summary = "Check a family member in at a venue by its QR; answers the colour and admission")
  @PostMapping("/api/v1/resident/persons/{personId}/check-ins")
  @PreAuthorize("hasRole('RESIDENT')")
  @Transactional
  CheckInAnswer checkIn(@PathVariable UUID personId, @RequestBody CheckInRequest body) {
    persons.requireHeldBy(Actor.current(), personId);
    String token = ApiException.required("venueToken", body.venueToken());
    Venues.Venue venue = venues.byToken(token)
        .orElseThrow(() -> ApiException.badRequest("INVALID_VENUE_TOKEN", "venueToken", "This is not a venue code of Epiloop"));
    Instant now = clock.instant();
    Admissions.Decision decision = admissions.at(personId, venue, now);
    CheckIns.CheckIn in = checkIns.record(personId, venue, now,
        new CheckIns.Entrance(decision.color().name(), decision.admitted()));
    return new CheckInAnswer(in.checkInId(), in.venueName(), in.at(), decision.color(), decision.admitted(), decision.reason());
  }
}
