package org.epiloop.lab;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.epiloop.transport.TransportBoxes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What waits for a lab (item 8 of issue 14), so nobody types an identifier: boxes on their way
 * to it, receipts opened and not closed, received tubes waiting for a plate, runs waiting for
 * review. Lab staff see their own lab; officials and administrators any lab.
 */
@Service
class LabQueues {

  static final Set<String> TUBE_STATES = Set.of("WAITING", "ON_PLATE", "TESTED", "RELEASED", "REJECTED");
  static final Set<String> RUN_STATUSES = Set.of("LOADED", "RESULTS_ENTERED", "CONTROLS_FAILED", "RELEASED");

  private final JdbcClient jdbc;
  private final TransportBoxes boxes;
  private final Directory directory;

  LabQueues(JdbcClient jdbc, TransportBoxes boxes, Directory directory) {
    this.jdbc = jdbc;
    this.boxes = boxes;
    this.directory = directory;
  }

  /** 403 for staff of another lab, 400 naming {@code labCode} for a lab that does not exist. */
  void requireScope(Actor actor, String labCode) {
    if (actor.role() != Role.OFFICIAL && actor.role() != Role.ADMIN) {
      Receipts.requireLabStaff(actor, labCode);
    }
    if (directory.lab(labCode).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + labCode);
    }
  }

  @Transactional(readOnly = true)
  List<TransportBoxes.Incoming> incoming(Actor actor, String labCode) {
    requireScope(actor, labCode);
    return boxes.incoming(labCode);
  }

  record OpenReceipt(String boxCode, Instant openedAt, String openedBy, int expected, int received, int unexpected) {}

  @Transactional(readOnly = true)
  List<OpenReceipt> openReceipts(Actor actor, String labCode) {
    requireScope(actor, labCode);
    return jdbc.sql("""
            select r.box_code, r.opened_at, r.opened_by,
                   (select count(*) from box_tubes t where t.trip_id = r.trip_id),
                   (select count(*) from receipt_scans s where s.trip_id = r.trip_id and s.status = 'RECEIVED'),
                   (select count(*) from receipt_scans s where s.trip_id = r.trip_id and s.status = 'UNEXPECTED')
            from lab_receipts r where r.lab_code = ? and r.closed_at is null order by r.opened_at limit 200""")
        .param(labCode)
        .query((rs, i) -> new OpenReceipt(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
            rs.getInt(4), rs.getInt(5), rs.getInt(6)))
        .list();
  }

  record LabTube(String tubeCode, String boxCode, String state, Instant receivedAt, String rejectReason) {}

  @Transactional(readOnly = true)
  List<LabTube> tubes(Actor actor, String labCode, String state) {
    requireScope(actor, labCode);
    String s = state == null || state.isBlank() ? "WAITING" : state;
    if (!TUBE_STATES.contains(s)) {
      throw ApiException.badRequest("INVALID_PARAMETER", "state", "state is one of " + String.join(", ", TUBE_STATES.stream().sorted().toList()));
    }
    return jdbc.sql("""
            select t.tube_code, b.box_code, t.state, t.received_at, t.reject_reason
            from lab_tubes t join box_trips b on b.id = t.trip_id
            where t.lab_code = ? and t.state = ? order by t.received_at, t.tube_code limit 500""")
        .params(labCode, s)
        .query((rs, i) -> new LabTube(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
            rs.getString(5)))
        .list();
  }

  record RunItem(UUID runId, String plateCode, String status, String createdBy, Instant createdAt, String resultsBy,
      Instant resultsAt, int samples, int positives, int retests) {}

  @Transactional(readOnly = true)
  List<RunItem> runs(Actor actor, String labCode, String status) {
    requireScope(actor, labCode);
    String s = status == null || status.isBlank() ? "RESULTS_ENTERED" : status;
    if (!RUN_STATUSES.contains(s)) {
      throw ApiException.badRequest("INVALID_PARAMETER", "status", "status is one of " + String.join(", ", RUN_STATUSES.stream().sorted().toList()));
    }
    return jdbc.sql("""
            select r.id, r.plate_code, r.status, r.created_by, r.created_at, r.results_by, r.results_at,
                   count(w.tube_code), count(*) filter (where w.interpretation = 'POSITIVE'),
                   count(*) filter (where w.interpretation in ('INCONCLUSIVE', 'INVALID'))
            from runs r left join run_wells w on w.run_id = r.id and w.tube_code is not null
            where r.lab_code = ? and r.status = ?
            group by r.id order by coalesce(r.results_at, r.created_at) limit 200""")
        .params(labCode, s)
        .query((rs, i) -> {
          OffsetDateTime at = rs.getObject(7, OffsetDateTime.class);
          return new RunItem(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), at == null ? null : at.toInstant(), rs.getInt(8),
              rs.getInt(9), rs.getInt(10));
        })
        .list();
  }
}
