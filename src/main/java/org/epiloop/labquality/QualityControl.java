package org.epiloop.labquality;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Control materials and lots, the control values of every run, their Westgard verdict and the
 * corrective actions that lift a rejection.
 */
@Service
class QualityControl {

  /** The PCR targets a control lot has target values for, as the API names them. */
  static final Set<String> TARGETS = Set.of("ORF1ab", "N", "IC");

  private final JdbcClient jdbc;
  private final List<WestgardRule> rules;
  private final AuditTrail audit;
  private final Clock clock;

  QualityControl(JdbcClient jdbc, QcProperties properties, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.rules = WestgardRules.named(properties.rules());
    this.audit = audit;
    this.clock = clock;
  }

  record TargetValue(String target, Double mean, Double sd) {}

  record NewControlLot(String material, Integer level, String lotNumber, LocalDate expiresOn, List<TargetValue> targets) {}

  record ControlLot(UUID id, String labCode, String material, int level, String lotNumber, LocalDate expiresOn, boolean inUse,
      List<TargetValue> targets) {}

  /**
   * The director adds a control lot with its target values; it goes into use at its level,
   * taking over from the lot in use there (whose history stays, and stays on its own chart).
   */
  @Transactional
  ControlLot addLot(Actor director, String labCode, NewControlLot body) {
    director.requireLab(labCode);
    String material = Codes.text("material", body.material(), 100);
    int level = body.level() == null ? 1 : body.level();
    if (level < 1 || level > 3) {
      throw ApiException.badRequest("INVALID_NUMBER", "level", "level is 1, 2 or 3");
    }
    String lot = Codes.code("lotNumber", body.lotNumber());
    if (body.targets() == null || body.targets().isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "targets", "give the mean and SD of at least one target");
    }
    List<TargetValue> targets = new ArrayList<>();
    for (int i = 0; i < body.targets().size(); i++) {
      TargetValue t = body.targets().get(i);
      String field = "targets[" + i + "]";
      if (t == null || t.target() == null || !TARGETS.contains(t.target())) {
        throw ApiException.badRequest("INVALID_QC_TARGET", field + ".target", "target is ORF1ab, N or IC");
      }
      if (targets.stream().anyMatch(x -> x.target().equals(t.target()))) {
        throw ApiException.badRequest("INVALID_QC_TARGET", field + ".target", t.target() + " is given twice");
      }
      if (t.mean() == null || !(t.mean() > 0 && t.mean() < 60)) {
        throw ApiException.badRequest("INVALID_NUMBER", field + ".mean", "the mean Ct lies between 0 and 60");
      }
      if (t.sd() == null || !(t.sd() > 0 && t.sd() < 20)) {
        throw ApiException.badRequest("INVALID_NUMBER", field + ".sd", "the SD lies between 0 and 20");
      }
      targets.add(t);
    }
    LocalDate expires = body.expiresOn() == null ? null : Codes.date("expiresOn", body.expiresOn());
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    jdbc.sql("update qc_control_lots set in_use = false where lab_code = ? and level = ? and in_use").params(labCode, level).update();
    try {
      jdbc.sql("""
              insert into qc_control_lots (id, lab_code, material, level, lot_number, expires_on, in_use, created_by, created_at)
              values (?, ?, ?, ?, ?, ?, true, ?, ?)""")
          .params(id, labCode, material, level, lot, expires, director.name(), utc(now)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("LOT_EXISTS", "Lot " + lot + " is registered at this lab already");
    }
    for (TargetValue t : targets) {
      jdbc.sql("insert into qc_lot_targets (lot_id, target, mean, sd) values (?, ?, ?, ?)").params(id, t.target(), t.mean(), t.sd()).update();
    }
    audit.record(director, "QC_LOT_ADDED", "qc_lot", id.toString(), labCode + " " + lot + " level " + level);
    return new ControlLot(id, labCode, material, level, lot, expires, true, targets);
  }

  @Transactional(readOnly = true)
  List<ControlLot> lots(Actor actor, String labCode) {
    actor.requireLab(labCode);
    Map<UUID, List<TargetValue>> targets = new java.util.HashMap<>();
    jdbc.sql("select t.lot_id, t.target, t.mean, t.sd from qc_lot_targets t join qc_control_lots l on l.id = t.lot_id where l.lab_code = ? order by t.target")
        .param(labCode).query(rs -> {
          targets.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
              .add(new TargetValue(rs.getString(2), rs.getDouble(3), rs.getDouble(4)));
        });
    return jdbc.sql("""
            select id, lab_code, material, level, lot_number, expires_on, in_use from qc_control_lots
            where lab_code = ? order by in_use desc, level, created_at desc""")
        .param(labCode)
        .query((rs, i) -> {
          UUID id = rs.getObject(1, UUID.class);
          return new ControlLot(id, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
              rs.getObject(6, LocalDate.class), rs.getBoolean(7), targets.getOrDefault(id, List.of()));
        }).list();
  }

  private record LotTarget(UUID lotId, String lotNumber, int level, String target, double mean, double sd) {}

  /**
   * Captures a run's positive-control values and judges them. Positive control wells, in well
   * order, take the lab's lots in use in level order (one lot: every positive well is that
   * level; two: the first well level 1, the second level 2, the third level 1 again…). A lab with
   * no control lot in use has no QC verdict (empty).
   */
  @Transactional
  java.util.Optional<QcStatus> capture(String labCode, UUID runId, List<LabQuality.ControlValue> positiveControls) {
    List<LotTarget> inUse = jdbc.sql("""
            select l.id, l.lot_number, l.level, t.target, t.mean, t.sd from qc_control_lots l join qc_lot_targets t on t.lot_id = l.id
            where l.lab_code = ? and l.in_use order by l.level""")
        .param(labCode)
        .query((rs, i) -> new LotTarget(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getDouble(5),
            rs.getDouble(6)))
        .list();
    if (inUse.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<UUID> levels = inUse.stream().map(LotTarget::lotId).distinct().toList();
    List<String> wells = positiveControls.stream().map(LabQuality.ControlValue::well).distinct().toList();
    Instant now = clock.instant();
    record Point(long id, UUID lotId, String target) {}
    List<Point> points = new ArrayList<>();
    for (int w = 0; w < wells.size(); w++) {
      String well = wells.get(w);
      UUID lot = levels.get(w % levels.size());
      for (LabQuality.ControlValue v : positiveControls) {
        if (!v.well().equals(well) || v.ct() == null) {
          continue;
        }
        inUse.stream().filter(t -> t.lotId().equals(lot) && t.target().equals(v.target())).findFirst().ifPresent(t -> {
          double z = (v.ct() - t.mean()) / t.sd();
          long id = jdbc.sql("""
                  insert into qc_values (lot_id, lab_code, target, run_id, well, ct, z, measured_at) values (?, ?, ?, ?, ?, ?, ?, ?)
                  on conflict (run_id, well, target) do nothing returning id""")
              .params(lot, labCode, v.target(), runId, well, v.ct(), z, utc(now)).query(Long.class).optional().orElse(-1L);
          if (id > 0) {
            points.add(new Point(id, lot, v.target()));
          }
        });
      }
    }
    boolean warning = false;
    boolean rejected = false;
    for (Point p : points) {
      List<Double> series = new ArrayList<>(jdbc.sql("select z from qc_values where lot_id = ? and target = ? and id <= ? order by id desc limit 10")
          .params(p.lotId(), p.target(), p.id()).query(Double.class).list());
      Collections.reverse(series);
      List<Double> sameRun = jdbc.sql("select z from qc_values where run_id = ? and target = ? and id <> ?")
          .params(runId, p.target(), p.id()).query(Double.class).list();
      for (WestgardRule rule : rules) {
        if (rule.violated(series, sameRun)) {
          jdbc.sql("insert into qc_violations (value_id, run_id, rule, severity) values (?, ?, ?, ?) on conflict do nothing")
              .params(p.id(), runId, rule.name(), rule.severity().name()).update();
          warning |= rule.severity() == QcSeverity.WARNING;
          rejected |= rule.severity() == QcSeverity.REJECTION;
        }
      }
    }
    QcStatus status = rejected ? QcStatus.REJECTED : warning ? QcStatus.WARNING : QcStatus.PASS;
    jdbc.sql("insert into qc_runs (run_id, lab_code, status, evaluated_at) values (?, ?, ?, ?) on conflict (run_id) do nothing")
        .params(runId, labCode, status.name(), utc(now)).update();
    return java.util.Optional.of(status);
  }

  boolean holdsRelease(UUID runId) {
    return jdbc.sql("select count(*) from qc_runs where run_id = ? and status = 'REJECTED'").param(runId).query(Integer.class).single() > 0;
  }

  @Transactional(readOnly = true)
  java.util.Optional<LabQuality.RunQc> runQc(UUID runId) {
    return jdbc.sql("select status, corrected_by, corrected_at, corrective_action from qc_runs where run_id = ?").param(runId)
        .query((rs, i) -> new LabQuality.RunQc(QcStatus.valueOf(rs.getString(1)), violations(runId), rs.getString(2),
            at(rs.getObject(3, OffsetDateTime.class)), rs.getString(4)))
        .optional();
  }

  /** A run's QC verdict for a reader of its lab; 404 when the run has none. */
  @Transactional(readOnly = true)
  LabQuality.RunQc runQcFor(Actor actor, UUID runId) {
    String labCode = jdbc.sql("select lab_code from qc_runs where run_id = ?").param(runId).query(String.class).optional()
        .orElseThrow(() -> ApiException.notFound("RUN_NOT_FOUND", "Run " + runId + " has no QC verdict"));
    actor.requireLab(labCode);
    return runQc(runId).orElseThrow();
  }

  private List<LabQuality.Violation> violations(UUID runId) {
    return jdbc.sql("""
            select v.rule, v.severity, q.target, q.well, l.lot_number, l.level, q.ct, q.z from qc_violations v
            join qc_values q on q.id = v.value_id join qc_control_lots l on l.id = q.lot_id
            where v.run_id = ? order by q.id, v.severity desc, v.rule""")
        .param(runId)
        .query((rs, i) -> new LabQuality.Violation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getInt(6), rs.getDouble(7), Math.round(rs.getDouble(8) * 100) / 100.0))
        .list();
  }

  /**
   * A reviewer records what was done about a rejected run (recalibrated, new control aliquot,
   * rerun…); the run may then be released. Audited. Once per run: a second one is 409.
   */
  @Transactional
  LabQuality.RunQc correct(Actor reviewer, UUID runId, String action) {
    if (reviewer.role() != Role.LAB_REVIEWER) {
      throw ApiException.outOfScope("Only a lab reviewer records corrective actions");
    }
    String labCode = jdbc.sql("select lab_code from qc_runs where run_id = ?").param(runId).query(String.class).optional()
        .orElseThrow(() -> ApiException.conflict("QC_NOT_REJECTED", "Run " + runId + " has no QC rejection to correct"));
    reviewer.requireLab(labCode);
    String text = Codes.text("action", action, 500);
    int updated = jdbc.sql("""
            update qc_runs set status = 'CORRECTED', corrected_by = ?, corrected_at = ?, corrective_action = ?
            where run_id = ? and status = 'REJECTED'""")
        .params(reviewer.name(), utc(clock.instant()), text, runId).update();
    if (updated == 0) {
      throw ApiException.conflict("QC_NOT_REJECTED", "Run " + runId + " has no QC rejection to correct");
    }
    audit.record(reviewer, "QC_CORRECTIVE_ACTION", "run", runId.toString(), text);
    return runQc(runId).orElseThrow();
  }

  record ChartPoint(UUID runId, String well, Instant at, double ct, double z, List<String> rules) {}

  record Chart(String labCode, String target, String lotNumber, String material, int level, double mean, double sd,
      List<ChartPoint> points) {}

  /** A Levey–Jennings chart: the lot's last {@code limit} values of one target, with broken rules. */
  @Transactional(readOnly = true)
  Chart chart(Actor actor, String labCode, String lotNumber, String target, int limit) {
    actor.requireLab(labCode);
    if (target == null || !TARGETS.contains(target)) {
      throw ApiException.badRequest("INVALID_QC_TARGET", "target", "target is ORF1ab, N or IC");
    }
    LotTarget lot = jdbc.sql("""
            select l.id, l.lot_number, l.level, t.target, t.mean, t.sd from qc_control_lots l join qc_lot_targets t on t.lot_id = l.id
            where l.lab_code = ? and l.lot_number = ? and t.target = ?""")
        .params(labCode, lotNumber, target)
        .query((rs, i) -> new LotTarget(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getDouble(5),
            rs.getDouble(6)))
        .optional().orElseThrow(() -> ApiException.notFound("CONTROL_LOT_NOT_FOUND", "No control lot " + lotNumber + " with " + target));
    String material = jdbc.sql("select material from qc_control_lots where id = ?").param(lot.lotId()).query(String.class).single();
    List<ChartPoint> points = new ArrayList<>(jdbc.sql("""
            select q.run_id, q.well, q.measured_at, q.ct, q.z,
                   coalesce((select string_agg(v.rule, ',' order by v.rule) from qc_violations v where v.value_id = q.id), '')
            from qc_values q where q.lot_id = ? and q.target = ? order by q.id desc limit ?""")
        .params(lot.lotId(), target, limit)
        .query((rs, i) -> new ChartPoint(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
            rs.getDouble(4), Math.round(rs.getDouble(5) * 100) / 100.0,
            rs.getString(6).isEmpty() ? List.of() : List.of(rs.getString(6).split(","))))
        .list());
    Collections.reverse(points);
    return new Chart(labCode, target, lot.lotNumber(), material, lot.level(), lot.mean(), lot.sd(), points);
  }

  /** Runs of the lab whose QC broke a rule, newest first: what the quality page lists. */
  record RunFlag(UUID runId, QcStatus status, Instant evaluatedAt, String correctedBy, String correctiveAction) {}

  @Transactional(readOnly = true)
  List<RunFlag> flagged(Actor actor, String labCode) {
    actor.requireLab(labCode);
    return jdbc.sql("""
            select run_id, status, evaluated_at, corrected_by, corrective_action from qc_runs
            where lab_code = ? and status <> 'PASS' order by evaluated_at desc limit 50""")
        .param(labCode)
        .query((rs, i) -> new RunFlag(rs.getObject(1, UUID.class), QcStatus.valueOf(rs.getString(2)),
            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5)))
        .list();
  }

  private static Instant at(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
