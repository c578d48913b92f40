package org.epiloop.monitoring;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.epiloop.identity.HomeDistricts;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.ApiException;
import org.epiloop.venue.CheckInVisits;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Population flow (M5): arrivals per district and day by origin, from two sources, each person
 * counted once per district and day:
 *
 * <ol>
 *   <li>a declared arrival (来X上报): from its region, into its grid's district, on the city day
 *       of its arrival time;
 *   <li>a venue check-in in a district other than the one the person registered in, with no
 *       declared arrival into that district that day: from the home district, on the city day of
 *       the check-in.
 * </ol>
 *
 * Read on request over at most 31 days; see docs/adr/0033 for what that costs.
 */
@Service
class PopulationFlow {

  static final int MAX_DAYS = 31;

  /** Arrivals into one district on one day from one origin. */
  record Flow(LocalDate day, String districtCode, String origin, long declared, long checkedIn, long total) {}

  record Result(LocalDate from, LocalDate to, List<Flow> flows) {}

  private final JdbcClient jdbc;
  private final CheckInVisits visits;
  private final HomeDistricts homes;
  private final Clock clock;
  private final ZoneId zone;

  PopulationFlow(JdbcClient jdbc, CheckInVisits visits, HomeDistricts homes, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.visits = visits;
    this.homes = homes;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  private record Key(LocalDate day, String district, String origin) {}

  private record Seen(UUID person, LocalDate day, String district) {}

  Result flows(String fromDay, String toDay) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    LocalDate from = day("from", fromDay, today.minusDays(6));
    LocalDate to = day("to", toDay, today);
    if (to.isBefore(from)) {
      throw ApiException.badRequest("INVALID_DATE", "to", "to must not be before from");
    }
    if (from.plusDays(MAX_DAYS - 1).isBefore(to)) {
      throw ApiException.badRequest("INVALID_DATE", "to", "at most " + MAX_DAYS + " days at once");
    }
    var start = from.atStartOfDay(zone).toInstant();
    var end = to.plusDays(1).atStartOfDay(zone).toInstant();

    Map<Key, long[]> counts = new TreeMap<>(Comparator.comparing(Key::day).thenComparing(Key::district).thenComparing(Key::origin));
    Set<Seen> seen = new HashSet<>();
    jdbc.sql("""
            select person_id, district_code, from_region, arrived_at from declarations
            where from_region is not null and arrived_at >= ? and arrived_at < ?""")
        .params(start.atOffset(ZoneOffset.UTC), end.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> {
          LocalDate d = LocalDate.ofInstant(rs.getObject(4, OffsetDateTime.class).toInstant(), zone);
          if (seen.add(new Seen(rs.getObject(1, UUID.class), d, rs.getString(2)))) {
            counts.computeIfAbsent(new Key(d, rs.getString(2), rs.getString(3)), k -> new long[2])[0]++;
          }
          return 1;
        })
        .list();
    List<CheckInVisits.Visit> checkIns = visits.between(start, end);
    Map<UUID, String> home = homes.of(checkIns.stream().map(CheckInVisits.Visit::personId).distinct().toList());
    for (CheckInVisits.Visit v : checkIns) {
      String h = home.get(v.personId());
      if (h == null || h.equals(v.districtCode())) {
        continue;
      }
      LocalDate d = LocalDate.ofInstant(v.at(), zone);
      if (seen.add(new Seen(v.personId(), d, v.districtCode()))) {
        counts.computeIfAbsent(new Key(d, v.districtCode(), h), k -> new long[2])[1]++;
      }
    }
    List<Flow> flows = new ArrayList<>();
    counts.forEach((k, c) -> flows.add(new Flow(k.day(), k.district(), k.origin(), c[0], c[1], c[0] + c[1])));
    return new Result(from, to, flows);
  }

  private static LocalDate day(String field, String value, LocalDate otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_DATE", field, field + " must be a day (YYYY-MM-DD)");
    }
  }
}
