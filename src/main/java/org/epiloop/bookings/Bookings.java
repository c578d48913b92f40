package org.epiloop.bookings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.epiloop.directory.Directory;
import org.epiloop.lab.BoxReceived;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Delivery slots booked at labs, their arrivals, and where new boxes should go. */
@Service
class Bookings {

  /** The city's day (a lab's capacity is per day). */
  static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
  /** A lab whose day is booked or received past this share of its capacity is overloaded. */
  static final double OVERLOADED = 0.9;
  /** … and one below this share has room to take boxes from an overloaded one. */
  static final double ROOM = 0.7;
  static final Duration LONGEST_SLOT = Duration.ofHours(12);

  private final JdbcClient jdbc;
  private final Directory directory;
  private final Clock clock;

  Bookings(JdbcClient jdbc, Directory directory, Clock clock) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.clock = clock;
  }

  record Slot(UUID id, String labCode, String siteCode, Instant startsAt, Instant endsAt, int expectedTubes, int arrivedTubes,
      int arrivedBoxes, String bookedBy) {}

  /** A site books a slot at a lab (a collector for their own site; officials for any). */
  @Transactional
  Slot book(Actor actor, String labCode, String siteCode, Instant startsAt, Instant endsAt, Integer expectedTubes) {
    String lab = ApiException.required("labCode", labCode);
    String site = ApiException.required("siteCode", siteCode);
    if (directory.lab(lab).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + lab);
    }
    if (directory.site(site).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_SITE", "siteCode", "No site " + site);
    }
    actor.requireSite(site);
    int expected = ApiException.required("expectedTubes", expectedTubes);
    if (expected < 1 || expected > 100_000) {
      throw ApiException.badRequest("INVALID_PARAMETER", "expectedTubes", "expectedTubes must be 1–100000");
    }
    if (!endsAt.isAfter(startsAt) || Duration.between(startsAt, endsAt).compareTo(LONGEST_SLOT) > 0) {
      throw ApiException.badRequest("INVALID_SLOT", "endsAt", "A slot ends after it starts, at most 12 hours later");
    }
    if (endsAt.isBefore(clock.instant())) {
      throw ApiException.badRequest("INVALID_SLOT", "endsAt", "A slot cannot end in the past");
    }
    UUID id = UUID.randomUUID();
    jdbc.sql("""
            insert into booking_slots (id, lab_code, site_code, starts_at, ends_at, expected_tubes, booked_by, booked_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, lab, site, utc(startsAt), utc(endsAt), expected, actor.name(), utc(clock.instant())).update();
    return new Slot(id, lab, site, startsAt, endsAt, expected, 0, 0, actor.name());
  }

  /**
   * A box reached a lab: its tubes count for the lab's day and, when its site booked a slot at
   * this lab covering the arrival, as arrived in that slot (the earliest such slot). Once per box
   * (the listener may be delivered twice after a crash: the receipt's trip makes it idempotent).
   */
  @ApplicationModuleListener
  void on(BoxReceived box) {
    int seen = jdbc.sql("insert into booking_arrivals (box_code, received_at) values (?, ?) on conflict do nothing")
        .params(box.boxCode(), utc(box.receivedAt())).update();
    if (seen == 0) {
      return;
    }
    jdbc.sql("""
            insert into booking_lab_days (lab_code, day, received_tubes) values (?, ?, ?)
            on conflict (lab_code, day) do update set received_tubes = booking_lab_days.received_tubes + excluded.received_tubes""")
        .params(box.labCode(), LocalDate.ofInstant(box.receivedAt(), CITY), box.expectedTubes()).update();
    jdbc.sql("""
            update booking_slots set arrived_tubes = arrived_tubes + :n, arrived_boxes = arrived_boxes + 1
            where id = (select id from booking_slots where lab_code = :lab and site_code = :site and starts_at <= :at and ends_at > :at
                        order by starts_at limit 1)""")
        .param("n", box.expectedTubes()).param("lab", box.labCode()).param("site", box.siteCode()).param("at", utc(box.receivedAt()))
        .update();
  }

  /** A lab's slots of a city day: expected against arrived. */
  @Transactional(readOnly = true)
  List<Slot> slots(Actor actor, String lab, LocalDate day) {
    if (directory.lab(lab).isEmpty()) {
      throw ApiException.notFound("LAB_NOT_FOUND", "No lab " + lab);
    }
    actor.requireLab(lab);
    LocalDate d = day == null ? LocalDate.now(clock.withZone(CITY)) : day;
    Instant from = d.atStartOfDay(CITY).toInstant();
    return jdbc.sql("""
            select id, lab_code, site_code, starts_at, ends_at, expected_tubes, arrived_tubes, arrived_boxes, booked_by
            from booking_slots where lab_code = ? and starts_at >= ? and starts_at < ? order by starts_at, site_code""")
        .params(lab, utc(from), utc(from.plus(Duration.ofDays(1))))
        .query((rs, i) -> new Slot(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getString(9)))
        .list();
  }

  /**
   * One lab's day: tubes received, tubes still booked to come (expected minus arrived in slots
   * not yet over), capacity and the share of it taken.
   */
  record LabLoad(String labCode, String name, int dailyCapacity, int receivedToday, int stillBooked, double load, boolean overloaded) {}

  /** Send boxes meant for {@code from} to {@code to}: it has {@code freeTubes} left today. */
  record Suggestion(String from, String to, String toName, int freeTubes, String reason) {}

  record Routing(List<LabLoad> labs, List<Suggestion> suggestions) {}

  @Transactional(readOnly = true)
  Routing routing(Actor actor) {
    if (actor.role() == Role.RESIDENT) {
      throw ApiException.outOfScope("Staff only");
    }
    Instant now = clock.instant();
    LocalDate today = LocalDate.now(clock.withZone(CITY));
    Instant dayEnd = today.plusDays(1).atStartOfDay(CITY).toInstant();
    // two grouped queries for the whole network, not two per lab
    java.util.Map<String, Integer> received = new java.util.HashMap<>();
    jdbc.sql("select lab_code, received_tubes from booking_lab_days where day = ?").param(today)
        .query((rs, i) -> received.put(rs.getString(1), rs.getInt(2))).list();
    java.util.Map<String, Integer> booked = new java.util.HashMap<>();
    jdbc.sql("""
            select lab_code, sum(greatest(expected_tubes - arrived_tubes, 0))::int from booking_slots
            where ends_at > ? and starts_at < ? group by lab_code""")
        .params(utc(now), utc(dayEnd)).query((rs, i) -> booked.put(rs.getString(1), rs.getInt(2))).list();
    List<LabLoad> labs = new ArrayList<>();
    for (Directory.Lab lab : directory.labs()) {
      int in = received.getOrDefault(lab.code(), 0);
      int coming = booked.getOrDefault(lab.code(), 0);
      double load = (in + coming) / (double) lab.dailyCapacity();
      labs.add(new LabLoad(lab.code(), lab.name(), lab.dailyCapacity(), in, coming, load, load > OVERLOADED));
    }
    List<LabLoad> roomy = labs.stream().filter(l -> l.load() < ROOM)
        .sorted(Comparator.comparingInt((LabLoad l) -> free(l)).reversed()).toList();
    List<Suggestion> suggestions = new ArrayList<>();
    for (LabLoad over : labs) {
      if (!over.overloaded()) {
        continue;
      }
      for (LabLoad to : roomy.subList(0, Math.min(2, roomy.size()))) {
        suggestions.add(new Suggestion(over.labCode(), to.labCode(), to.name(), free(to),
            "Lab " + over.labCode() + " has " + Math.round(over.load() * 100) + "% of its capacity received or booked today; "
                + to.labCode() + " can still take " + free(to) + " tubes"));
      }
    }
    return new Routing(labs, suggestions);
  }

  private static int free(LabLoad l) {
    return Math.max(0, l.dailyCapacity() - l.receivedToday() - l.stillBooked());
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
