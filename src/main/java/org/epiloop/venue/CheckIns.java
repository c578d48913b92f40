package org.epiloop.venue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * What the entrance saw: the colour the person's code showed (its enum name, GREEN, YELLOW or
   * RED; the health-code module owns the colours) and whether the venue let them in.
   */
  public record Entrance(String color, boolean admitted) {
    public Entrance {
      if (!List.of("GREEN", "YELLOW", "RED").contains(color)) {
        throw new IllegalArgumentException("colour " + color);
      }
    }
  }

  /**
   * Stores one check-in of a person at a venue (resolved from a genuine token with {@link
   * Venues#byToken}). One insert; the caller has checked that it may act for the person.
   */
  @Transactional
  public CheckIn record(UUID personId, Venues.Venue venue, Instant at, Entrance entrance) {
    Objects.requireNonNull(personId, "personId");
    Objects.requireNonNull(venue, "venue");
    Objects.requireNonNull(entrance, "entrance");
    Instant when = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into check_ins (id, person_id, venue_code, at, color, admitted) values (?, ?, ?, ?, ?, ?)")
        .params(id, personId, venue.venueCode(), when.atOffset(ZoneOffset.UTC), entrance.color(), entrance.admitted())
        .update();
    return new CheckIn(id, venue.venueCode(), venue.name(), when);
  }

  /**
   * A venue's check-ins in [from, to): the total, admitted and denied, the colour mix (UNKNOWN
   * for check-ins stored before colours were kept), and check-ins per hour of the day in the zone.
   */
  record Day(int total, int admitted, int denied, Map<String, Integer> colors, int[] perHour) {}

  Day day(String venueCode, Instant from, Instant to, ZoneId zone) {
    Map<String, Integer> colors = new LinkedHashMap<>();
    for (String c : List.of("GREEN", "YELLOW", "RED", "UNKNOWN")) {
      colors.put(c, 0);
    }
    int[] perHour = new int[24];
    int[] admittedDenied = new int[2];
    // grouped in the database over the venue's (venue_code, at) index range
    jdbc.sql("""
            select coalesce(color, 'UNKNOWN') as color, admitted,
                   extract(hour from at at time zone :zone)::int as hour, count(*) as n
            from check_ins where venue_code = :venue and at >= :from and at < :to
            group by 1, 2, 3""")
        .param("zone", zone.getId()).param("venue", venueCode)
        .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC))
        .query(rs -> {
          int n = rs.getInt("n");
          colors.merge(rs.getString("color"), n, Integer::sum);
          perHour[rs.getInt("hour")] += n;
          Object admitted = rs.getObject("admitted");
          if (admitted != null) {
            admittedDenied[(Boolean) admitted ? 0 : 1] += n;
          }
        });
    int total = colors.values().stream().mapToInt(Integer::intValue).sum();
    return new Day(total, admittedDenied[0], admittedDenied[1], colors, perHour);
  }
}
