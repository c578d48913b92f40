package org.epiloop.venue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Check-ins at venues (V2): the scan path stores one row with one insert; contact finding
 * reads them by person and by venue and time.
 */
@Service
public class CheckIns {

  /**
   * A stored check-in.
   *
   * @param at when, to the microsecond (as stored)
   */
  public record CheckIn(UUID checkInId, String venueCode, String venueName, Instant at) {}

  private final JdbcClient jdbc;

  CheckIns(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores one check-in of a person at a venue (resolved from a genuine token with {@link
   * Venues#byToken}). One insert; the caller has checked that it may act for the person.
   */
  @Transactional
  public CheckIn record(UUID personId, Venues.Venue venue, Instant at) {
    Objects.requireNonNull(personId, "personId");
    Objects.requireNonNull(venue, "venue");
    Instant when = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into check_ins (id, person_id, venue_code, at) values (?, ?, ?, ?)")
        .params(id, personId, venue.venueCode(), when.atOffset(ZoneOffset.UTC)).update();
    return new CheckIn(id, venue.venueCode(), venue.name(), when);
  }
}
