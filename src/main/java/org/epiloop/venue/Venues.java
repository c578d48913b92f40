package org.epiloop.venue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.epiloop.directory.Directory;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Venues and their codes (V1): the facade other modules use to resolve a scanned venue token.
 * A venue manager registers, sees and prints only their own venues.
 */
@Service
@EnableConfigurationProperties(VenueProperties.class)
public class Venues {

  /**
   * A venue as other modules see it.
   *
   * @param venueCode the human-facing code, {@code V} and 8 Base32 characters
   * @param kind a {@code VenueKind} name such as {@code RESTAURANT}
   * @param negativeTestWithinHours entry needs a negative test sampled within this many hours;
   *     null when no test is required to enter
   */
  public record Venue(String venueCode, String name, String districtCode, String kind, double latitude, double longitude,
      Integer negativeTestWithinHours) {}

  /** A venue with its token and owner, for its manager and officials. */
  record VenueView(String venueCode, String venueToken, String name, String districtCode, String kind, double latitude,
      double longitude, Integer negativeTestWithinHours, String managedBy, Instant createdAt) {}

  private static final int MAX_NAME = 100;
  private static final int MAX_TEST_HOURS = 720;
  private static final String COLUMNS =
      "code, name, district_code, kind, latitude, longitude, negative_test_within_hours, managed_by, created_at";

  private final JdbcClient jdbc;
  private final VenueTokens tokens;
  private final Directory directory;
  private final CheckIns checkIns;
  private final Clock clock;
  private final ZoneId zone;

  Venues(JdbcClient jdbc, VenueTokens tokens, Directory directory, CheckIns checkIns, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.tokens = tokens;
    this.directory = directory;
    this.checkIns = checkIns;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  /** The venue of a genuine venue token (the text of its QR); empty if forged, malformed or unknown. */
  public Optional<Venue> byToken(String venueToken) {
    return tokens.verify(venueToken).flatMap(this::byCode);
  }

  public Optional<Venue> byCode(String venueCode) {
    if (venueCode == null || !VenueTokens.CODE.matcher(venueCode).matches()) {
      return Optional.empty();
    }
    return row(venueCode).map(Row::venue);
  }

  @Transactional
  VenueView register(Actor actor, String name, String districtCode, String kind, Double latitude, Double longitude,
      Integer negativeTestWithinHours) {
    if (actor.role() != Role.VENUE_MANAGER && actor.role() != Role.ADMIN) {
      throw ApiException.outOfScope("Only a venue manager or an administrator registers venues");
    }
    String n = ApiException.required("name", name).replaceAll("\\s+", " ");
    if (n.length() > MAX_NAME || n.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest("INVALID_VENUE_NAME", "name", "name must be 1–" + MAX_NAME + " printable characters");
    }
    directory.requireDistrict("districtCode", districtCode);
    VenueKind k = VenueKind.parse("kind", kind);
    double lat = ApiException.required("latitude", latitude);
    double lon = ApiException.required("longitude", longitude);
    if (!(lat >= -90 && lat <= 90)) {
      throw ApiException.badRequest("INVALID_COORDINATES", "latitude", "latitude must be between -90 and 90");
    }
    if (!(lon >= -180 && lon <= 180)) {
      throw ApiException.badRequest("INVALID_COORDINATES", "longitude", "longitude must be between -180 and 180");
    }
    if (negativeTestWithinHours != null && (negativeTestWithinHours < 1 || negativeTestWithinHours > MAX_TEST_HOURS)) {
      throw ApiException.badRequest("INVALID_TEST_WINDOW", "negativeTestWithinHours",
          "negativeTestWithinHours must be between 1 and " + MAX_TEST_HOURS + ", or left out when no test is required");
    }
    Instant now = clock.instant();
    for (int attempt = 0; attempt < 5; attempt++) {
      String code = tokens.newCode();
      int inserted = jdbc.sql("""
              insert into venues (code, name, district_code, kind, latitude, longitude, negative_test_within_hours, managed_by, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (code) do nothing""")
          .params(code, n, districtCode.strip(), k.name(), lat, lon, negativeTestWithinHours, actor.name(), now.atOffset(ZoneOffset.UTC))
          .update();
      if (inserted == 1) {
        return view(new Row(new Venue(code, n, districtCode.strip(), k.name(), lat, lon, negativeTestWithinHours), actor.name(), now));
      }
    }
    throw new IllegalStateException("No free venue code after 5 attempts");
  }

  /** A venue for its manager, an administrator or an official; 403 for another manager's venue. */
  VenueView view(Actor actor, String venueCode) {
    Row row = row(venueCode).orElseThrow(() -> ApiException.notFound("VENUE_NOT_FOUND", "No venue " + venueCode));
    requireScope(actor, row);
    return view(row);
  }

  /** The token to print, for the venue's manager or an administrator. */
  String tokenToPrint(Actor actor, String venueCode) {
    Row row = row(venueCode).orElseThrow(() -> ApiException.notFound("VENUE_NOT_FOUND", "No venue " + venueCode));
    if (actor.role() == Role.OFFICIAL) {
      throw ApiException.outOfScope("Only the venue's manager or an administrator prints its code");
    }
    requireScope(actor, row);
    return tokens.issue(row.venue().venueCode());
  }

  /** A venue's check-ins today (in the city's zone): totals, colour mix, per hour. */
  record VenueDay(String venueCode, String name, LocalDate date, int total, int admitted, int denied,
      Map<String, Integer> colors, int[] perHour) {}

  /** Today's check-ins at a venue, for its manager, an administrator or an official. */
  VenueDay today(Actor actor, String venueCode) {
    Row row = row(venueCode).orElseThrow(() -> ApiException.notFound("VENUE_NOT_FOUND", "No venue " + venueCode));
    requireScope(actor, row);
    LocalDate date = LocalDate.now(clock.withZone(zone));
    Instant from = date.atStartOfDay(zone).toInstant();
    Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
    CheckIns.Day day = checkIns.day(venueCode, from, to, zone);
    return new VenueDay(venueCode, row.venue().name(), date, day.total(), day.admitted(), day.denied(), day.colors(), day.perHour());
  }

  /** A manager's own venues; all venues (of a district, if given) for administrators and officials. Newest first. */
  List<VenueView> list(Actor actor, String districtCode, int limit) {
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("INVALID_PARAMETER", "limit", "limit must be between 1 and 1000");
    }
    String sql = "select " + COLUMNS + " from venues where %s order by created_at desc, code limit ?";
    List<Row> rows;
    if (actor.role() == Role.VENUE_MANAGER) {
      rows = jdbc.sql(sql.formatted("managed_by = ?")).params(actor.name(), limit).query(Venues::row).list();
    } else if (actor.role() != Role.ADMIN && actor.role() != Role.OFFICIAL) {
      throw ApiException.outOfScope("Your role does not manage venues");
    } else if (districtCode == null || districtCode.isBlank()) {
      rows = jdbc.sql(sql.formatted("true")).params(limit).query(Venues::row).list();
    } else {
      rows = jdbc.sql(sql.formatted("district_code = ?")).params(districtCode.strip(), limit).query(Venues::row).list();
    }
    return rows.stream().map(this::view).toList();
  }

  private void requireScope(Actor actor, Row row) {
    switch (actor.role()) {
      case ADMIN, OFFICIAL -> { }
      case VENUE_MANAGER -> {
        if (!actor.name().equals(row.managedBy())) {
          throw ApiException.outOfScope("Venue " + row.venue().venueCode() + " is managed by someone else");
        }
      }
      default -> throw ApiException.outOfScope("Your role does not manage venues");
    }
  }

  record Row(Venue venue, String managedBy, Instant createdAt) {}

  private Optional<Row> row(String venueCode) {
    return jdbc.sql("select " + COLUMNS + " from venues where code = ?").param(venueCode).query(Venues::row).optional();
  }

  private VenueView view(Row r) {
    Venue v = r.venue();
    return new VenueView(v.venueCode(), tokens.issue(v.venueCode()), v.name(), v.districtCode(), v.kind(), v.latitude(),
        v.longitude(), v.negativeTestWithinHours(), r.managedBy(), r.createdAt());
  }

  private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new Row(new Venue(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
        rs.getDouble(6), (Integer) rs.getObject(7)), rs.getString(8), rs.getObject(9, OffsetDateTime.class).toInstant());
  }
}
