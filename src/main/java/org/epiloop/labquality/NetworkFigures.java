package org.epiloop.labquality;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.epiloop.platform.EpiloopProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The quality module's part of the command centre's lab-network register (issue 17 item 7): per
 * lab, its instruments, the assays it can run today, its QC failure rate, the runs QC holds now
 * and the lots low in stock or near expiry. Grouped queries over all labs, so the register costs
 * the same for two labs as for two hundred.
 */
@Component
class NetworkFigures {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final EpiloopProperties city;
  private final QcProperties properties;

  NetworkFigures(JdbcClient jdbc, Clock clock, EpiloopProperties city, QcProperties properties) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.city = city;
    this.properties = properties;
  }

  @Transactional(readOnly = true)
  Map<String, LabQuality.LabFigures> byLab(Instant since) {
    Map<String, int[]> instruments = new HashMap<>();
    jdbc.sql("select lab_code, count(*), count(*) filter (where kind = 'PCR_CYCLER') from instruments group by lab_code")
        .query(rs -> {
          instruments.put(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3)});
        });
    // an assay the lab can run today: a kit item with a lot in date and reactions left
    LocalDate today = clock.instant().atZone(city.zone()).toLocalDate();
    Map<String, Integer> assays = new HashMap<>();
    jdbc.sql("""
            select lab_code, count(distinct item) from reagent_lots
            where kind = 'KIT' and expires_on >= ? and remaining > 0 group by lab_code""")
        .param(today)
        .query(rs -> {
          assays.put(rs.getString(1), rs.getInt(2));
        });
    // a run fails QC when a rule rejected it, corrected since or not
    Map<String, int[]> qc = new HashMap<>();
    jdbc.sql("""
            select lab_code, count(*), count(*) filter (where status in ('REJECTED','CORRECTED')) from qc_runs
            where evaluated_at >= ? group by lab_code""")
        .param(since.atOffset(ZoneOffset.UTC))
        .query(rs -> {
          qc.put(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3)});
        });
    // runs held now (a rejection without its corrective action), whenever they were judged: the command centre's "blocked"
    Map<String, Integer> held = new HashMap<>();
    jdbc.sql("select lab_code, count(*) from qc_runs where status = ? group by lab_code")
        .param(QcStatus.REJECTED.name())
        .query(rs -> {
          held.put(rs.getString(1), rs.getInt(2));
        });
    // the lots the computed alerts name (low stock, expired or near expiry), the soonest to expire first
    Map<String, java.util.List<String>> low = new HashMap<>();
    Map<String, java.util.List<String>> expiring = new HashMap<>();
    jdbc.sql("""
            select lab_code, lot_number, remaining <= low_at, expires_on <= ? from reagent_lots
            where remaining <= low_at or expires_on <= ? order by lab_code, expires_on, lot_number""")
        .params(today.plusDays(properties.nearExpiryDays()), today.plusDays(properties.nearExpiryDays()))
        .query(rs -> {
          if (rs.getBoolean(3)) {
            low.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2));
          }
          if (rs.getBoolean(4)) {
            expiring.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2));
          }
        });
    Map<String, LabQuality.LabFigures> out = new HashMap<>();
    java.util.Set<String> labs = new java.util.HashSet<>(instruments.keySet());
    labs.addAll(assays.keySet());
    labs.addAll(qc.keySet());
    labs.addAll(held.keySet());
    labs.addAll(low.keySet());
    labs.addAll(expiring.keySet());
    for (String lab : labs) {
      int[] i = instruments.getOrDefault(lab, new int[2]);
      int[] q = qc.getOrDefault(lab, new int[2]);
      out.put(lab, new LabQuality.LabFigures(i[0], i[1], assays.getOrDefault(lab, 0), q[0], q[1], q[0] == 0 ? null : q[1] / (double) q[0],
          held.getOrDefault(lab, 0), low.getOrDefault(lab, java.util.List.of()), expiring.getOrDefault(lab, java.util.List.of())));
    }
    return out;
  }
}
