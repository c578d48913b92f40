package org.epiloop.supplies;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.lab.RunsPlated;
import org.epiloop.sampling.TubesOpened;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Settles the supplies the loop used, after the fact and in its own transaction, from what the
 * owning modules record anyway (docs/adr/0033): a tube opened at a site used one tube of its
 * capacity and one swab per position handed out; a run loaded at a lab used one PCR reaction per
 * well. The binding and the plate stay as they were: no statement is added to them.
 *
 * <p>Exactly once: a tube and a run are counted by their key in the module's ledgers
 * ({@code supply_tube_settlements}, {@code supply_run_settlements}); a tube still filling is
 * counted up to the positions settled so far and topped up later. Copies take a transaction-level
 * advisory lock first, so one settles at a time, and the ledger rows and the stock change commit
 * together: a crash or a second run subtracts nothing twice.
 */
@Service
class Settlement {

  private static final Logger log = LoggerFactory.getLogger(Settlement.class);

  /** What one settlement counted. */
  record Settled(int tubes, long swabs, int runs, long reactions) {}

  private final JdbcClient jdbc;
  private final TubesOpened tubes;
  private final RunsPlated runs;
  private final Stock stock;
  private final Clock clock;
  private final SuppliesProperties properties;

  Settlement(JdbcClient jdbc, TubesOpened tubes, RunsPlated runs, Stock stock, Clock clock, SuppliesProperties properties) {
    this.jdbc = jdbc;
    this.tubes = tubes;
    this.runs = runs;
    this.stock = stock;
    this.clock = clock;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${epiloop.supplies.settle-every:2m}", initialDelayString = "PT30S")
  void scheduled() {
    try {
      settle();
    } catch (RuntimeException e) {
      // the next round settles what this one could not: the ledgers keep it exact
      log.warn("supply settlement failed, retried next round: {}", e.toString());
    }
  }

  @Transactional
  Settled settle() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('epiloop.supply_settlement'))").query((rs, i) -> 1).list();
    Instant now = clock.instant();
    Instant since = now.minus(properties.lookback());

    Map<Stock.Holding, Long> byKey = new HashMap<>();
    List<TubesOpened.Opened> opened = tubes.since(since);
    Map<String, Integer> settled = new HashMap<>();
    if (!opened.isEmpty()) {
      jdbc.sql("select tube_code, swabs_settled from supply_tube_settlements where tube_code = any(?)")
          .param(opened.stream().map(TubesOpened.Opened::tubeCode).toArray(String[]::new))
          .query((rs, i) -> settled.put(rs.getString(1), rs.getInt(2))).list();
    }
    int newTubes = 0;
    long swabs = 0;
    List<Object[]> ledger = new java.util.ArrayList<>();
    for (TubesOpened.Opened t : opened) {
      Integer before = settled.get(t.tubeCode());
      int delta = t.positions() - (before == null ? 0 : before);
      if (before == null) {
        newTubes++;
        byKey.merge(Stock.key(HolderKind.SITE, t.siteCode(), SupplyItem.tube(t.capacity())), 1L, Long::sum);
      }
      if (delta > 0) {
        swabs += delta;
        byKey.merge(Stock.key(HolderKind.SITE, t.siteCode(), SupplyItem.SWAB), (long) delta, Long::sum);
      }
      if (before == null || delta > 0) {
        ledger.add(new Object[] {t.tubeCode(), t.siteCode(), t.capacity(), t.positions(), t.sealed()});
      }
    }
    if (!ledger.isEmpty()) {
      jdbc.sql("""
              insert into supply_tube_settlements (tube_code, site_code, capacity, swabs_settled, sealed, settled_at)
              select u.*, ?::timestamptz from unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::boolean[]) as u
              on conflict (tube_code) do update set swabs_settled = excluded.swabs_settled, sealed = excluded.sealed,
                settled_at = excluded.settled_at""")
          .params(now.atOffset(ZoneOffset.UTC), column(ledger, 0, String.class), column(ledger, 1, String.class),
              column(ledger, 2, Integer.class), column(ledger, 3, Integer.class), column(ledger, 4, Boolean.class))
          .update();
    }

    List<RunsPlated.Plated> plated = runs.since(since);
    java.util.Set<UUID> known = new java.util.HashSet<>();
    if (!plated.isEmpty()) {
      jdbc.sql("select run_id from supply_run_settlements where run_id = any(?)")
          .param(plated.stream().map(RunsPlated.Plated::runId).toArray(UUID[]::new))
          .query((rs, i) -> known.add(rs.getObject(1, UUID.class))).list();
    }
    int newRuns = 0;
    long reactions = 0;
    for (RunsPlated.Plated r : plated) {
      if (known.contains(r.runId())) {
        continue;
      }
      jdbc.sql("insert into supply_run_settlements (run_id, lab_code, reactions, settled_at) values (?, ?, ?, ?)")
          .params(r.runId(), r.labCode(), r.wells(), now.atOffset(ZoneOffset.UTC)).update();
      newRuns++;
      reactions += r.wells();
      byKey.merge(Stock.key(HolderKind.LAB, r.labCode(), SupplyItem.PCR_REACTION), (long) r.wells(), Long::sum);
    }
    byKey.forEach((k, q) -> stock.use(k.kind(), k.code(), k.item(), q));
    return new Settled(newTubes, swabs, newRuns, reactions);
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] column(List<Object[]> rows, int i, Class<T> type) {
    T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int r = 0; r < rows.size(); r++) {
      out[r] = type.cast(rows.get(r)[i]);
    }
    return out;
  }
}
