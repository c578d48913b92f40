package org.epiloop.province;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The table of bundles to deliver, named after what each statement enforces. A row is PENDING
 * until the province acknowledges it (DELIVERED, never sent again) or refuses it with a 4xx
 * (DEAD, until an administrator requeues it). Senders claim rows with {@code FOR UPDATE SKIP
 * LOCKED} and hold them by a lease ({@code claimed_until}), so copies of Epiloop on one database
 * never send a row at the same time, and a copy that dies mid-send leaves its rows to the others
 * when the lease runs out.
 */
@Component
class ProvinceOutbox {

  /** A row's state. */
  enum State { PENDING, DELIVERED, DEAD }

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  ProvinceOutbox(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  /** One bundle to send: a result at a revision, with the value it had then. */
  record Item(UUID bindingId, int revision, ResultBundles.ReportStatus reportStatus, String resultStatus, String reason) {}

  /** Queues bundles; a redelivered event queues nothing twice (unique binding and revision). */
  @Transactional
  void enqueue(List<Item> items, Instant now) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    batch.batchUpdate("""
        insert into province_outbox (binding_id, revision, report_status, result_status, reason, state, created_at, next_attempt_at)
        values (?, ?, ?, ?, ?, 'PENDING', ?, ?) on conflict (binding_id, revision) do nothing""",
        items.stream().map(i -> new Object[] {i.bindingId(), i.revision(), i.reportStatus().name(), i.resultStatus(), i.reason(), at, at})
            .toList());
  }

  /** A claimed row. */
  record Claimed(long id, UUID bindingId, int revision, ResultBundles.ReportStatus reportStatus, String resultStatus, String reason,
      int attempts) {}

  /**
   * Claims up to {@code n} due rows for {@code worker} until {@code now + lease}. A later revision
   * of a result waits until the earlier ones are delivered: the province must see the amendment
   * after the original, or the conditional update would put the old value back.
   */
  @Transactional
  List<Claimed> claim(String worker, int n, Instant now, Duration lease) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    return jdbc.sql("""
            update province_outbox o set claimed_by = :worker, claimed_until = :until, attempts = o.attempts + 1
            where o.id in (
              select p.id from province_outbox p
              where p.state = 'PENDING' and p.next_attempt_at <= :now and (p.claimed_until is null or p.claimed_until < :now)
                and not exists (select 1 from province_outbox e
                                where e.binding_id = p.binding_id and e.revision < p.revision and e.state <> 'DELIVERED')
              order by p.next_attempt_at, p.id
              limit :n
              for update skip locked)
            returning o.id, o.binding_id, o.revision, o.report_status, o.result_status, o.reason, o.attempts""")
        .param("worker", worker).param("until", now.plus(lease).atOffset(ZoneOffset.UTC)).param("now", at).param("n", n)
        .query((rs, i) -> new Claimed(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3),
            ResultBundles.ReportStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getInt(7)))
        .list();
  }

  /** The province acknowledged the bundle: recorded, never sent again. */
  void delivered(long id, String worker, int httpStatus, String acknowledgement, Instant now) {
    jdbc.sql("""
            update province_outbox set state = 'DELIVERED', delivered_at = ?, http_status = ?, acknowledgement = ?, last_error = null,
                   delivered_by = claimed_by, claimed_by = null, claimed_until = null
            where id = ? and claimed_by = ? and state = 'PENDING'""")
        .params(now.atOffset(ZoneOffset.UTC), httpStatus, acknowledgement, id, worker).update();
  }

  /** A failure worth retrying (5xx, timeout, no connection): due again at {@code next}. */
  void retryLater(long id, String worker, Integer httpStatus, String error, Instant next) {
    jdbc.sql("""
            update province_outbox set next_attempt_at = ?, http_status = ?, last_error = ?, claimed_by = null, claimed_until = null
            where id = ? and claimed_by = ? and state = 'PENDING'""")
        .params(next.atOffset(ZoneOffset.UTC), httpStatus, error, id, worker).update();
  }

  /** The province refused the bundle (4xx): parked with its OperationOutcome for an administrator. */
  void dead(long id, String worker, int httpStatus, String error, String outcome) {
    jdbc.sql("""
            update province_outbox set state = 'DEAD', http_status = ?, last_error = ?, outcome = ?, claimed_by = null, claimed_until = null
            where id = ? and claimed_by = ? and state = 'PENDING'""")
        .params(httpStatus, error, outcome, id, worker).update();
  }

  /** Gives back rows claimed but not sent (a stopping copy), so that others need not wait for the lease. */
  void release(List<Long> ids, String worker) {
    if (!ids.isEmpty()) {
      jdbc.sql("update province_outbox set claimed_by = null, claimed_until = null, attempts = greatest(attempts - 1, 0) "
              + "where id = any(?) and claimed_by = ? and state = 'PENDING'")
          .params(ids.toArray(Long[]::new), worker).update();
    }
  }

  /** An administrator sends a refused row again (after a fix on either side). */
  @Transactional
  boolean requeue(long id, Instant now) {
    return jdbc.sql("""
            update province_outbox set state = 'PENDING', attempts = 0, next_attempt_at = ?, claimed_by = null, claimed_until = null
            where id = ? and state = 'DEAD'""")
        .params(now.atOffset(ZoneOffset.UTC), id).update() == 1;
  }

  boolean exists(long id) {
    return jdbc.sql("select exists (select 1 from province_outbox where id = ?)").param(id).query(Boolean.class).single();
  }

  /** A row as the administration page shows it (no personal data: the result key and the tube only through it). */
  record Delivery(long id, UUID resultId, int revision, String reportStatus, String state, int attempts, Instant createdAt,
      Instant nextAttemptAt, Integer httpStatus, String lastError, String outcome, Instant deliveredAt, String acknowledgement) {}

  @Transactional(readOnly = true)
  List<Delivery> list(State state, int limit) {
    return jdbc.sql("""
            select id, binding_id, revision, report_status, state, attempts, created_at, next_attempt_at, http_status, last_error, outcome,
                   delivered_at, acknowledgement
            from province_outbox where state = ? order by id desc limit ?""")
        .params(state.name(), limit)
        .query((rs, i) -> {
          OffsetDateTime delivered = rs.getObject(12, OffsetDateTime.class);
          return new Delivery(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getInt(6),
              rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getObject(8, OffsetDateTime.class).toInstant(),
              (Integer) rs.getObject(9), rs.getString(10), rs.getString(11), delivered == null ? null : delivered.toInstant(),
              rs.getString(13));
        })
        .list();
  }

  /** How delivery stands: rows per state, the oldest waiting one, and the lag of acknowledged ones. */
  record Summary(long pending, long delivered, long dead, Instant oldestPendingSince, Double lagP50Seconds, Double lagP99Seconds,
      Double lagMaxSeconds, long deliveredAfterRetry) {}

  @Transactional(readOnly = true)
  Summary summary() {
    return jdbc.sql("""
            select count(*) filter (where state = 'PENDING'), count(*) filter (where state = 'DELIVERED'),
                   count(*) filter (where state = 'DEAD'), min(created_at) filter (where state = 'PENDING'),
                   percentile_cont(0.5) within group (order by extract(epoch from delivered_at - created_at)) filter (where state = 'DELIVERED'),
                   percentile_cont(0.99) within group (order by extract(epoch from delivered_at - created_at)) filter (where state = 'DELIVERED'),
                   max(extract(epoch from delivered_at - created_at)) filter (where state = 'DELIVERED'),
                   count(*) filter (where state = 'DELIVERED' and attempts > 1)
            from province_outbox""")
        .query((rs, i) -> {
          OffsetDateTime oldest = rs.getObject(4, OffsetDateTime.class);
          return new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), oldest == null ? null : oldest.toInstant(),
              (Double) rs.getObject(5), (Double) rs.getObject(6), rs.getObject(7) == null ? null : ((Number) rs.getObject(7)).doubleValue(),
              rs.getLong(8));
        })
        .single();
  }
}
