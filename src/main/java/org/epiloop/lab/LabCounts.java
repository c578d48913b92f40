package org.epiloop.lab;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.epiloop.platform.EpiloopProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the command centre's lab counters ({@code stage_counts}) and turnaround
 * distributions ({@code turnaround_counts}) in the transaction of the step they count. Every
 * method is called once per state change (a run's results entered, a run released, a receipt
 * closed), so nothing is counted twice. Receipt scans count themselves in their own statement.
 */
@Component
class LabCounts {

  private final JdbcClient jdbc;
  private final String zone;

  LabCounts(JdbcClient jdbc, EpiloopProperties properties) {
    this.jdbc = jdbc;
    this.zone = properties.zone().getId();
  }

  static OffsetDateTime hour(Instant at) {
    return at.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC);
  }

  /** The run's tubes got results: TESTED per site where they were taken. */
  void tested(UUID runId, String labCode, Instant at) {
    perSite("TESTED", runId, labCode, at, "lt.run_id = :run and lt.state = 'TESTED'");
  }

  /** The run was released: RELEASED per site, and the two turnaround legs that end here. */
  void released(UUID runId, String labCode, Instant at) {
    perSite("RELEASED", runId, labCode, at, "lt.run_id = :run and lt.state = 'RELEASED'");
    turnaround("RECEIPT_RELEASE", "lt.received_at", runId, at);
    turnaround("COLLECTION_RELEASE", "t.opened_at", runId, at);
  }

  /** A receipt closed: collection → receipt of each tube it checked in. */
  void receiptClosed(UUID tripId) {
    jdbc.sql("""
            insert into turnaround_counts (leg, day, minutes, n)
            select 'COLLECTION_RECEIPT', (lt.received_at at time zone :zone)::date,
                   greatest(0, floor(extract(epoch from lt.received_at - t.opened_at) / 60))::int, count(*)
            from lab_tubes lt join tubes t on t.code = lt.tube_code
            where lt.trip_id = :trip
            group by 2, 3
            on conflict (leg, day, minutes) do update set n = turnaround_counts.n + excluded.n""")
        .param("zone", zone).param("trip", tripId).update();
  }

  /** One tube rejected at the bench (it was waiting). */
  void rejected(UUID tripId, String labCode, Instant at) {
    jdbc.sql("""
            insert into stage_counts (metric, hour, site_code, lab_code, shard, n)
            select 'REJECTED', :hour, site_code, :lab, '', 1 from box_trips where id = :trip
            on conflict (metric, hour, site_code, lab_code, shard) do update set n = stage_counts.n + 1""")
        .param("hour", hour(at)).param("lab", labCode).param("trip", tripId).update();
  }

  private void perSite(String metric, UUID runId, String labCode, Instant at, String where) {
    jdbc.sql("""
            insert into stage_counts (metric, hour, site_code, lab_code, shard, n)
            select :metric, :hour, bt.site_code, :lab, '', count(*)
            from lab_tubes lt join box_trips bt on bt.id = lt.trip_id
            where %s
            group by bt.site_code
            on conflict (metric, hour, site_code, lab_code, shard) do update set n = stage_counts.n + excluded.n""".formatted(where))
        .param("metric", metric).param("hour", hour(at)).param("lab", labCode).param("run", runId).update();
  }

  private void turnaround(String leg, String from, UUID runId, Instant at) {
    jdbc.sql("""
            insert into turnaround_counts (leg, day, minutes, n)
            select :leg, (cast(:at as timestamptz) at time zone :zone)::date,
                   greatest(0, floor(extract(epoch from cast(:at as timestamptz) - %s) / 60))::int, count(*)
            from lab_tubes lt join tubes t on t.code = lt.tube_code
            where lt.run_id = :run and lt.state = 'RELEASED'
            group by 2, 3
            on conflict (leg, day, minutes) do update set n = turnaround_counts.n + excluded.n""".formatted(from))
        .param("leg", leg).param("at", at.atOffset(ZoneOffset.UTC)).param("zone", zone).param("run", runId).update();
  }
}
