package org.epiloop.transport;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.directory.Directory;
import org.epiloop.sampling.SampledTubes;
import org.epiloop.sampling.TubeStatus;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Transport boxes and their trips. Each transition is a conditional update on the trip's
 * status (so two couriers cannot both take a box) plus a custody event.
 */
@Service
@EnableConfigurationProperties(TransportProperties.class)
public class TransportBoxes {

  private static final Pattern BOX_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{3,31}");

  private final JdbcClient jdbc;
  private final SampledTubes tubes;
  private final Directory directory;
  private final TransportProperties properties;
  private final Clock clock;

  TransportBoxes(JdbcClient jdbc, SampledTubes tubes, Directory directory, TransportProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.tubes = tubes;
    this.directory = directory;
    this.properties = properties;
    this.clock = clock;
  }

  /** One custody step. */
  public record Event(String type, Instant at, String actor, Double latitude, Double longitude) {}

  /** A box's current (or last) trip with its chain of custody. */
  public record BoxView(String boxCode, BoxStatus status, String siteCode, String labCode, int tubeCount,
      Instant firstSampledAt, List<Event> events, List<String> tubeCodes) {}

  record Trip(UUID id, String boxCode, BoxStatus status, String siteCode, String labCode, int tubeCount, Instant firstSampledAt) {}

  @Transactional
  BoxView open(Actor collector, String boxCode) {
    checkCode(boxCode);
    String site = collectorSite(collector);
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    try {
      jdbc.sql("insert into box_trips (id, box_code, site_code, status, opened_by, opened_at) values (?, ?, ?, 'OPEN', ?, ?)")
          .params(id, boxCode, site, collector.name(), utc(now)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("BOX_IN_USE", "Box " + boxCode + " is still in use; a lab must receive it before it travels again");
    }
    event(id, "OPENED", now, collector, null, null, null);
    return view(boxCode);
  }

  record Packed(String boxCode, String tubeCode, int tubeCount) {}

  @Transactional
  Packed addTube(Actor collector, String boxCode, String tubeCode) {
    String site = collectorSite(collector);
    ApiException.required("tubeCode", tubeCode);
    Trip trip = lockCurrent(boxCode);
    collector.requireSite(trip.siteCode());
    if (trip.status() != BoxStatus.OPEN) {
      throw ApiException.conflict("BOX_NOT_OPEN", "Box " + boxCode + " is " + trip.status() + "; open it again to pack tubes");
    }
    SampledTubes.TubeFacts tube = tubes.facts(tubeCode)
        .orElseThrow(() -> ApiException.notFound("TUBE_NOT_FOUND", "No tube " + tubeCode));
    if (!tube.siteCode().equals(site)) {
      throw ApiException.conflict("TUBE_FROM_OTHER_SITE", "Tube " + tubeCode + " was filled at another site");
    }
    if (tube.status() != TubeStatus.SEALED) {
      throw ApiException.conflict("TUBE_NOT_SEALED", "Tube " + tubeCode + " is not sealed yet; seal it before packing");
    }
    Instant now = clock.instant();
    int inserted = jdbc.sql("insert into box_tubes (tube_code, trip_id, added_at, added_by) values (?, ?, ?, ?) on conflict (tube_code) do nothing")
        .params(tubeCode, trip.id(), utc(now), collector.name()).update();
    if (inserted == 0) {
      UUID other = jdbc.sql("select trip_id from box_tubes where tube_code = ?").param(tubeCode).query(UUID.class).single();
      if (other.equals(trip.id())) {
        return new Packed(boxCode, tubeCode, trip.tubeCount()); // the same scan again: already packed here
      }
      throw ApiException.conflict("TUBE_IN_OTHER_BOX", "Tube " + tubeCode + " is already packed in another box");
    }
    int count = jdbc.sql("""
            update box_trips set tube_count = tube_count + 1,
              first_sampled_at = least(coalesce(first_sampled_at, :first), :first)
            where id = :id returning tube_count""")
        .param("first", tube.firstSampledAt() == null ? utc(now) : utc(tube.firstSampledAt())).param("id", trip.id())
        .query(Integer.class).single();
    return new Packed(boxCode, tubeCode, count);
  }

  record Sealed(String boxCode, BoxStatus status, int tubeCount) {}

  @Transactional
  Sealed seal(Actor collector, String boxCode) {
    collectorSite(collector);
    Trip trip = lockCurrent(boxCode);
    collector.requireSite(trip.siteCode());
    if (trip.status() == BoxStatus.SEALED) {
      return new Sealed(boxCode, BoxStatus.SEALED, trip.tubeCount());
    }
    if (trip.status() != BoxStatus.OPEN) {
      throw ApiException.conflict("BOX_NOT_OPEN", "Box " + boxCode + " is " + trip.status());
    }
    if (trip.tubeCount() == 0) {
      throw ApiException.conflict("BOX_EMPTY", "Box " + boxCode + " has no tubes; pack sealed tubes first");
    }
    Instant now = clock.instant();
    jdbc.sql("update box_trips set status = 'SEALED', sealed_at = ? where id = ?").params(utc(now), trip.id()).update();
    event(trip.id(), "SEALED", now, collector, null, null, trip.tubeCount() + " tubes");
    return new Sealed(boxCode, BoxStatus.SEALED, trip.tubeCount());
  }

  record Moved(String boxCode, BoxStatus status) {}

  @Transactional
  Moved handOver(Actor courier, String boxCode, String labCode) {
    requireRole(courier, Role.COURIER);
    Trip trip = lockCurrent(boxCode);
    if (trip.status() == BoxStatus.IN_TRANSIT) {
      return new Moved(boxCode, BoxStatus.IN_TRANSIT);
    }
    if (trip.status() != BoxStatus.SEALED) {
      throw ApiException.conflict("BOX_NOT_SEALED", "Box " + boxCode + " is " + trip.status() + "; only a sealed box is handed over");
    }
    if (labCode != null && directory.lab(labCode).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + labCode);
    }
    Instant now = clock.instant();
    jdbc.sql("update box_trips set status = 'IN_TRANSIT', courier = ?, handed_over_at = ?, lab_code = coalesce(?, lab_code) where id = ?")
        .params(courier.name(), utc(now), labCode, trip.id()).update();
    event(trip.id(), "HANDED_OVER", now, courier, null, null, labCode == null ? null : "to " + labCode);
    return new Moved(boxCode, BoxStatus.IN_TRANSIT);
  }

  @Transactional
  Moved location(Actor courier, String boxCode, Double latitude, Double longitude) {
    requireRole(courier, Role.COURIER);
    double lat = ApiException.required("latitude", latitude);
    double lon = ApiException.required("longitude", longitude);
    if (lat < -90 || lat > 90) {
      throw ApiException.badRequest("INVALID_COORDINATES", "latitude", "latitude must be between -90 and 90");
    }
    if (lon < -180 || lon > 180) {
      throw ApiException.badRequest("INVALID_COORDINATES", "longitude", "longitude must be between -180 and 180");
    }
    Trip trip = current(boxCode);
    if (trip.status() != BoxStatus.IN_TRANSIT) {
      throw ApiException.conflict("BOX_NOT_IN_TRANSIT", "Box " + boxCode + " is " + trip.status());
    }
    event(trip.id(), "LOCATION", clock.instant(), courier, lat, lon, null);
    return new Moved(boxCode, trip.status());
  }

  @Transactional
  Moved arrive(Actor courier, String boxCode, String labCode) {
    requireRole(courier, Role.COURIER);
    ApiException.required("labCode", labCode);
    if (directory.lab(labCode).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + labCode);
    }
    Trip trip = lockCurrent(boxCode);
    if (trip.status() == BoxStatus.ARRIVED && labCode.equals(trip.labCode())) {
      return new Moved(boxCode, BoxStatus.ARRIVED);
    }
    if (trip.status() != BoxStatus.IN_TRANSIT) {
      throw ApiException.conflict("BOX_NOT_IN_TRANSIT", "Box " + boxCode + " is " + trip.status());
    }
    Instant now = clock.instant();
    jdbc.sql("update box_trips set status = 'ARRIVED', arrived_at = ?, lab_code = ? where id = ?")
        .params(utc(now), labCode, trip.id()).update();
    event(trip.id(), "ARRIVED", now, courier, null, null, "at " + labCode);
    return new Moved(boxCode, BoxStatus.ARRIVED);
  }

  /** A box as a lab opens it: the tubes packed in it. */
  public record Manifest(UUID tripId, String boxCode, String siteCode, BoxStatus status, String labCode, List<String> tubeCodes) {}

  /**
   * Marks the box's current trip received by a lab, once: a second lab (or a racing second
   * bench) gets 409 {@code BOX_ALREADY_RECEIVED}. Runs in the caller's transaction.
   */
  @Transactional
  public Manifest receive(Actor lab, String boxCode, String labCode) {
    Trip trip = jdbc.sql(TRIP_SQL + " where box_code = ? order by opened_at desc limit 1 for update").param(boxCode)
        .query(TransportBoxes::trip).optional()
        .orElseThrow(() -> ApiException.notFound("BOX_NOT_FOUND", "No box " + boxCode));
    if (trip.status() == BoxStatus.RECEIVED) {
      throw ApiException.conflict("BOX_ALREADY_RECEIVED", "Box " + boxCode + " was already received"
          + (labCode.equals(trip.labCode()) ? " here" : " by another lab"));
    }
    if (trip.status() == BoxStatus.OPEN) {
      throw ApiException.conflict("BOX_NOT_SEALED", "Box " + boxCode + " is still open at its site");
    }
    Instant now = clock.instant();
    jdbc.sql("update box_trips set status = 'RECEIVED', received_at = ?, lab_code = ? where id = ?")
        .params(utc(now), labCode, trip.id()).update();
    event(trip.id(), "RECEIVED", now, lab, null, null, "by " + labCode);
    return new Manifest(trip.id(), boxCode, trip.siteCode(), BoxStatus.RECEIVED, labCode, tubesOf(trip.id()));
  }

  /** The tubes packed in a trip, in packing order. */
  public List<String> tubesOf(UUID tripId) {
    return jdbc.sql("select tube_code from box_tubes where trip_id = ? order by added_at, tube_code").param(tripId)
        .query(String.class).list();
  }

  /** The trip a tube travelled in, if it was packed. */
  public Optional<UUID> tripOf(String tubeCode) {
    return jdbc.sql("select trip_id from box_tubes where tube_code = ?").param(tubeCode).query(UUID.class).optional();
  }

  @Transactional(readOnly = true)
  public BoxView view(String boxCode) {
    Trip trip = current(boxCode);
    List<Event> events = jdbc.sql("select type, at, actor, latitude, longitude from box_events where trip_id = ? order by id")
        .param(trip.id())
        .query((rs, i) -> new Event(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
            (Double) rs.getObject(4), (Double) rs.getObject(5)))
        .list();
    return new BoxView(trip.boxCode(), trip.status(), trip.siteCode(), trip.labCode(), trip.tubeCount(), trip.firstSampledAt(), events,
        tubesOf(trip.id()));
  }

  // ------------------------------------------------------------------ work queues (item 8)

  /** A sealed box waiting at its site for a courier. */
  public record Waiting(String boxCode, String siteCode, int tubeCount, Instant firstSampledAt, Instant sealedAt) {}

  /** Sealed boxes waiting for pickup at these sites (all sites when null), oldest sample first. */
  @Transactional(readOnly = true)
  public List<Waiting> waitingForPickup(List<String> siteCodes) {
    return jdbc.sql("""
            select box_code, site_code, tube_count, first_sampled_at, sealed_at from box_trips
            where status = 'SEALED' and (cast(:all as boolean) or site_code = any(:sites))
            order by first_sampled_at nulls last, sealed_at limit 1000""")
        .param("all", siteCodes == null).param("sites", siteCodes == null ? new String[0] : siteCodes.toArray(String[]::new))
        .query((rs, i) -> new Waiting(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs.getObject(4, OffsetDateTime.class)),
            instant(rs.getObject(5, OffsetDateTime.class))))
        .list();
  }

  /** A box a courier delivered. */
  public record Delivered(String boxCode, String siteCode, String labCode, BoxStatus status, int tubeCount, Instant handedOverAt,
      Instant arrivedAt) {}

  /** The boxes a courier delivered in [from, to), newest first. */
  @Transactional(readOnly = true)
  public List<Delivered> deliveredBy(String courier, Instant from, Instant to) {
    return jdbc.sql("""
            select box_code, site_code, lab_code, status, tube_count, handed_over_at, arrived_at from box_trips
            where courier = ? and arrived_at >= ? and arrived_at < ? order by arrived_at desc limit 500""")
        .params(courier, utc(from), utc(to))
        .query((rs, i) -> new Delivered(rs.getString(1), rs.getString(2), rs.getString(3), BoxStatus.valueOf(rs.getString(4)),
            rs.getInt(5), instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class))))
        .list();
  }

  /** A box on its way to a lab, or at its door not yet opened. */
  public record Incoming(String boxCode, String siteCode, BoxStatus status, int tubeCount, Instant firstSampledAt,
      Instant handedOverAt, Instant arrivedAt, String courier) {}

  /** Boxes handed over for this lab and not yet received, the oldest sample first. */
  @Transactional(readOnly = true)
  public List<Incoming> incoming(String labCode) {
    return jdbc.sql("""
            select box_code, site_code, status, tube_count, first_sampled_at, handed_over_at, arrived_at, courier from box_trips
            where lab_code = ? and status in ('IN_TRANSIT', 'ARRIVED') order by first_sampled_at nulls last limit 500""")
        .param(labCode)
        .query((rs, i) -> new Incoming(rs.getString(1), rs.getString(2), BoxStatus.valueOf(rs.getString(3)), rs.getInt(4),
            instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class)),
            instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8)))
        .list();
  }

  /** Where a packed tube travelled: packed into its box, then that trip's custody steps (empty if never packed). */
  @Transactional(readOnly = true)
  public List<org.epiloop.shared.CustodyStep> custodyOfTube(String tubeCode) {
    record Packed(UUID trip, String box, Instant at, String by) {}
    Optional<Packed> packed = jdbc.sql("""
            select t.trip_id, b.box_code, t.added_at, t.added_by from box_tubes t join box_trips b on b.id = t.trip_id where t.tube_code = ?""")
        .param(tubeCode)
        .query((rs, i) -> new Packed(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)))
        .optional();
    if (packed.isEmpty()) {
      return List.of();
    }
    List<org.epiloop.shared.CustodyStep> steps = new java.util.ArrayList<>();
    steps.add(new org.epiloop.shared.CustodyStep(packed.get().at(), "TRANSPORT", "PACKED", packed.get().box(), packed.get().by(), null));
    steps.addAll(tripSteps(packed.get().trip(), packed.get().box()));
    return steps;
  }

  /** The custody steps of a box's current (or last) trip. */
  @Transactional(readOnly = true)
  public List<org.epiloop.shared.CustodyStep> custodyOfBox(String boxCode) {
    return tripSteps(current(boxCode).id(), boxCode);
  }

  private List<org.epiloop.shared.CustodyStep> tripSteps(UUID trip, String boxCode) {
    return jdbc.sql("select type, at, actor, latitude, longitude, detail from box_events where trip_id = ? order by id").param(trip)
        .query((rs, i) -> {
          Double lat = (Double) rs.getObject(4);
          String detail = rs.getString(6);
          if (lat != null) {
            detail = String.format(java.util.Locale.ROOT, "%.5f, %.5f", lat, rs.getDouble(5));
          }
          return new org.epiloop.shared.CustodyStep(rs.getObject(2, OffsetDateTime.class).toInstant(), "TRANSPORT", "BOX_" + rs.getString(1),
              boxCode, rs.getString(3), detail);
        })
        .list();
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  /** A box whose first sample is older than the transport limit and that no lab has received. */
  public record Overdue(String boxCode, String siteCode, BoxStatus status, String labCode, int tubeCount,
      Instant firstSampledAt, long minutesSinceFirstSample) {}

  @Transactional(readOnly = true)
  public List<Overdue> overdue() {
    Instant now = clock.instant();
    return jdbc.sql("""
            select box_code, site_code, status, lab_code, tube_count, first_sampled_at from box_trips
            where status <> 'RECEIVED' and first_sampled_at < ? order by first_sampled_at limit 500""")
        .param(utc(now.minus(properties.overdueAfter())))
        .query((rs, i) -> {
          Instant first = rs.getObject(6, OffsetDateTime.class).toInstant();
          return new Overdue(rs.getString(1), rs.getString(2), BoxStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5),
              first, java.time.Duration.between(first, now).toMinutes());
        })
        .list();
  }

  private static final String TRIP_SQL = "select id, box_code, status, site_code, lab_code, tube_count, first_sampled_at from box_trips";

  private Trip current(String boxCode) {
    return jdbc.sql(TRIP_SQL + " where box_code = ? order by opened_at desc limit 1").param(boxCode)
        .query(TransportBoxes::trip).optional()
        .orElseThrow(() -> ApiException.notFound("BOX_NOT_FOUND", "No box " + boxCode));
  }

  private Trip lockCurrent(String boxCode) {
    return jdbc.sql(TRIP_SQL + " where box_code = ? and status <> 'RECEIVED' for update").param(boxCode)
        .query(TransportBoxes::trip).optional()
        .orElseThrow(() -> ApiException.notFound("BOX_NOT_FOUND", "No box " + boxCode + " in use; open it first"));
  }

  private static Trip trip(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    OffsetDateTime first = rs.getObject(7, OffsetDateTime.class);
    return new Trip(rs.getObject(1, UUID.class), rs.getString(2), BoxStatus.valueOf(rs.getString(3)), rs.getString(4),
        rs.getString(5), rs.getInt(6), first == null ? null : first.toInstant());
  }

  private void event(UUID trip, String type, Instant at, Actor actor, Double lat, Double lon, String detail) {
    jdbc.sql("insert into box_events (trip_id, type, at, actor, latitude, longitude, detail) values (?, ?, ?, ?, ?, ?, ?)")
        .params(trip, type, utc(at), actor.name(), lat, lon, detail).update();
  }

  private static String collectorSite(Actor actor) {
    if (actor.role() != Role.COLLECTOR || actor.siteCode() == null) {
      throw ApiException.outOfScope("Only a collector bound to a site may pack boxes");
    }
    return actor.siteCode();
  }

  private static void requireRole(Actor actor, Role role) {
    if (actor.role() != role) {
      throw ApiException.outOfScope("Only a " + role + " may do this");
    }
  }

  private static void checkCode(String code) {
    if (code == null || !BOX_CODE.matcher(code).matches()) {
      throw ApiException.badRequest("INVALID_BOX_CODE", "boxCode", "boxCode must be 4–32 letters, digits or '-'");
    }
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
