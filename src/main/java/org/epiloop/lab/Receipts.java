package org.epiloop.lab;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.epiloop.transport.TransportBoxes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lab receipt (L1): a box is opened at the bench by scan (once, by one lab), each tube is
 * checked in by scan, tubes can be rejected with a reason, and closing the receipt reports
 * what was missing, unexpected or rejected.
 */
@Service
class Receipts {

  private final JdbcClient jdbc;
  private final TransportBoxes boxes;
  private final ApplicationEventPublisher events;
  private final LabCounts counts;
  private final Clock clock;

  Receipts(JdbcClient jdbc, TransportBoxes boxes, ApplicationEventPublisher events, LabCounts counts, Clock clock) {
    this.counts = counts;
    this.jdbc = jdbc;
    this.boxes = boxes;
    this.events = events;
    this.clock = clock;
  }

  record Opened(String boxCode, List<String> expectedTubes) {}

  @Transactional
  Opened open(Actor tech, String labCode, String boxCode) {
    requireLabStaff(tech, labCode);
    ApiException.required("boxCode", boxCode);
    TransportBoxes.Manifest manifest = boxes.receive(tech, boxCode, labCode);
    jdbc.sql("insert into lab_receipts (trip_id, box_code, lab_code, opened_by, opened_at) values (?, ?, ?, ?, ?)")
        .params(manifest.tripId(), boxCode, labCode, tech.name(), utc(clock.instant())).update();
    events.publishEvent(new BoxReceived(boxCode, labCode, manifest.siteCode(), manifest.tubeCodes().size(), clock.instant()));
    return new Opened(boxCode, manifest.tubeCodes());
  }

  record Scanned(String tubeCode, String status) {}

  /**
   * Checks a tube in. A tube packed in this box is RECEIVED and joins the lab's work list;
   * any other is UNEXPECTED. Scanning the same tube again (or at a second bench) answers the
   * same and records nothing new.
   */
  @Transactional
  Scanned scan(Actor tech, String labCode, String boxCode, String tubeCode) {
    requireLabStaff(tech, labCode);
    ApiException.required("tubeCode", tubeCode);
    Instant now = clock.instant();
    // one statement: the box's open receipt is looked up in it; only a scan that finds none asks
    // again why (not received here, or closed) to say so
    record Row(UUID trip, String status) {}
    Row row = jdbc.sql("""
            with r as (
              select trip_id from (select trip_id, closed_at from lab_receipts where box_code = :box and lab_code = :lab
                                   order by opened_at desc limit 1) latest
              where closed_at is null),
            s as (
              insert into receipt_scans (trip_id, tube_code, status, scanned_by, scanned_at)
              select r.trip_id, :tube,
                     case when exists (select 1 from box_tubes where tube_code = :tube and trip_id = r.trip_id) then 'RECEIVED' else 'UNEXPECTED' end,
                     :by, :now
              from r
              on conflict (trip_id, tube_code) do nothing
              returning trip_id, status),
            h as (
              insert into lab_tubes (tube_code, lab_code, trip_id, received_at, received_by, state)
              select :tube, :lab, s.trip_id, :now, :by, 'WAITING' from s where s.status = 'RECEIVED'
              on conflict (tube_code) do nothing
              returning trip_id),
            c as (
              -- one counter row per bench user: benches never wait on each other's counter
              insert into stage_counts (metric, hour, site_code, lab_code, shard, n)
              select 'RECEIVED', :hour, bt.site_code, :lab, :by, 1 from h join box_trips bt on bt.id = h.trip_id
              on conflict (metric, hour, site_code, lab_code, shard) do update set n = stage_counts.n + 1)
            select (select trip_id from r),
                   coalesce((select status from s),
                            (select rs.status from receipt_scans rs join r on rs.trip_id = r.trip_id where rs.tube_code = :tube))""")
        .param("box", boxCode).param("tube", tubeCode).param("lab", labCode).param("by", tech.name()).param("now", utc(now))
        .param("hour", LabCounts.hour(now))
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2))).single();
    if (row.trip() == null) {
      openReceipt(labCode, boxCode); // 404 RECEIPT_NOT_FOUND or 409 RECEIPT_CLOSED
      return scan(tech, labCode, boxCode, tubeCode); // the box was opened a moment ago
    }
    String status = row.status();
    if (status == null) {
      // a second bench scanned the same tube concurrently and won; its row is visible to a new statement
      status = jdbc.sql("select status from receipt_scans where trip_id = ? and tube_code = ?").params(row.trip(), tubeCode)
          .query(String.class).single();
    }
    return new Scanned(tubeCode, status);
  }

  record Rejected(String tubeCode, String status, String reason) {}

  @Transactional
  Rejected reject(Actor tech, String labCode, String boxCode, String tubeCode, String reason) {
    requireLabStaff(tech, labCode);
    String why = ApiException.required("reason", reason);
    if (why.length() > 200) {
      throw ApiException.badRequest("INVALID_REASON", "reason", "reason must be at most 200 characters");
    }
    UUID trip = openReceipt(labCode, boxCode);
    Instant now = clock.instant();
    int updated = jdbc.sql("""
            update lab_tubes set state = 'REJECTED', reject_reason = ?, rejected_by = ?, rejected_at = ?
            where tube_code = ? and trip_id = ? and state = 'WAITING'""")
        .params(why, tech.name(), utc(now), tubeCode, trip).update();
    if (updated == 1) {
      counts.rejected(trip, labCode, now);
    } else {
      // rejected before: a new reason replaces the old one
      updated = jdbc.sql("""
              update lab_tubes set reject_reason = ?, rejected_by = ?, rejected_at = ?
              where tube_code = ? and trip_id = ? and state = 'REJECTED'""")
          .params(why, tech.name(), utc(now), tubeCode, trip).update();
    }
    if (updated == 0) {
      throw ApiException.conflict("TUBE_NOT_RECEIVED", "Tube " + tubeCode + " was not checked in from box " + boxCode + ", or is already on a plate");
    }
    return new Rejected(tubeCode, "REJECTED", why);
  }

  record Discrepancies(String boxCode, int expected, int received, List<String> missing, List<String> unexpected,
      List<String> rejected) {}

  @Transactional
  Discrepancies close(Actor tech, String labCode, String boxCode) {
    requireLabStaff(tech, labCode);
    UUID trip = receipt(labCode, boxCode);
    int closedNow = jdbc.sql("update lab_receipts set closed_by = ?, closed_at = ? where trip_id = ? and closed_at is null")
        .params(tech.name(), utc(clock.instant()), trip).update();
    Discrepancies report = report(trip, boxCode);
    if (closedNow == 1) {
      counts.receiptClosed(trip);
    }
    if (closedNow == 1 && (!report.missing().isEmpty() || !report.rejected().isEmpty())) {
      List<TubesLost.Lost> lost = new java.util.ArrayList<>();
      report.missing().forEach(t -> lost.add(new TubesLost.Lost(t, "MISSING")));
      report.rejected().forEach(t -> lost.add(new TubesLost.Lost(t, "REJECTED")));
      events.publishEvent(new TubesLost(boxCode, labCode, clock.instant(), lost));
    }
    return report;
  }

  @Transactional(readOnly = true)
  Discrepancies report(Actor staff, String labCode, String boxCode) {
    requireLabStaff(staff, labCode);
    return report(receipt(labCode, boxCode), boxCode);
  }

  private Discrepancies report(UUID trip, String boxCode) {
    List<String> expected = boxes.tubesOf(trip);
    List<String> missing = jdbc.sql("""
            select t.tube_code from box_tubes t
            where t.trip_id = ? and not exists (select 1 from receipt_scans s where s.trip_id = t.trip_id and s.tube_code = t.tube_code)
            order by t.tube_code""").param(trip).query(String.class).list();
    List<String> unexpected = jdbc.sql("select tube_code from receipt_scans where trip_id = ? and status = 'UNEXPECTED' order by tube_code")
        .param(trip).query(String.class).list();
    List<String> rejected = jdbc.sql("select tube_code from lab_tubes where trip_id = ? and state = 'REJECTED' order by tube_code")
        .param(trip).query(String.class).list();
    int received = jdbc.sql("select count(*) from receipt_scans where trip_id = ? and status = 'RECEIVED'").param(trip)
        .query(Integer.class).single();
    return new Discrepancies(boxCode, expected.size(), received, missing, unexpected, rejected);
  }

  private UUID openReceipt(String labCode, String boxCode) {
    record R(UUID trip, OffsetDateTime closedAt) {}
    R r = jdbc.sql("select trip_id, closed_at from lab_receipts where box_code = ? and lab_code = ? order by opened_at desc limit 1")
        .params(boxCode, labCode).query((rs, i) -> new R(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class)))
        .optional().orElseThrow(() -> ApiException.notFound("RECEIPT_NOT_FOUND", "Box " + boxCode + " is not open at this lab; scan the box first"));
    if (r.closedAt() != null) {
      throw ApiException.conflict("RECEIPT_CLOSED", "The receipt of box " + boxCode + " is closed");
    }
    return r.trip();
  }

  private UUID receipt(String labCode, String boxCode) {
    return jdbc.sql("select trip_id from lab_receipts where box_code = ? and lab_code = ? order by opened_at desc limit 1")
        .params(boxCode, labCode).query(UUID.class).optional()
        .orElseThrow(() -> ApiException.notFound("RECEIPT_NOT_FOUND", "Box " + boxCode + " was not received at this lab"));
  }

  static void requireLabStaff(Actor actor, String labCode) {
    if (actor.role() != Role.LAB_TECH && actor.role() != Role.LAB_REVIEWER) {
      throw ApiException.outOfScope("Only staff of a lab may do this");
    }
    actor.requireLab(labCode);
  }


  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
