package org.epiloop.lab;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.epiloop.labquality.LabQuality;
import org.epiloop.labquality.QcStatus;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Plates and runs (L2–L4). A run moves LOADED → RESULTS_ENTERED → RELEASED, or LOADED →
 * CONTROLS_FAILED (its tubes go back to wait for another plate). Every transition is a
 * conditional update on the run's status, so double submissions and double approvals act once.
 */
@Service
@EnableConfigurationProperties({InterpretationProperties.class, LabProperties.class})
class Runs {

  static final String AUTO_REVIEWER = "auto-review";

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Interpreter interpreter;
  private final LabProperties properties;
  private final ApplicationEventPublisher events;
  private final LabCounts counts;
  private final LabQuality quality;
  private final Clock clock;

  Runs(JdbcClient jdbc, JdbcTemplate batch, InterpretationProperties thresholds, LabProperties properties,
      ApplicationEventPublisher events, LabCounts counts, LabQuality quality, Clock clock) {
    this.quality = quality;
    this.counts = counts;
    this.jdbc = jdbc;
    this.batch = batch;
    this.interpreter = new Interpreter(InterpretationRules.defaults(), thresholds);
    this.properties = properties;
    this.events = events;
    this.clock = clock;
  }

  /** One well as loaded: a tube or a control. */
  record Loading(String well, String tubeCode, String control) {}

  record Loaded(UUID runId, String status) {}

  @Transactional
  Loaded load(Actor tech, String labCode, String plateCode, List<Loading> wells) {
    return load(tech, labCode, plateCode, wells, null, null);
  }

  /**
   * Loads a plate with the kit lot it uses and the cycler it runs on (ADR 0026): both are
   * checked by lab quality (lot in date with enough reactions, cycler calibrated), the lot loses
   * one reaction per well, and both are required once the lab has registered one of its kind.
   */
  @Transactional
  Loaded load(Actor tech, String labCode, String plateCode, List<Loading> wells, String reagentLot, String cycler) {
    Receipts.requireLabStaff(tech, labCode);
    String plate = ApiException.required("plateCode", plateCode);
    if (wells == null || wells.isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "wells", "wells is required");
    }
    if (wells.size() > 96) {
      throw ApiException.badRequest("TOO_MANY_WELLS", "wells", "a plate has 96 wells");
    }
    Map<Well, Loading> byWell = new LinkedHashMap<>();
    Set<String> tubes = new HashSet<>();
    boolean positive = false;
    boolean negative = false;
    for (int i = 0; i < wells.size(); i++) {
      Loading l = wells.get(i);
      String field = "wells[" + i + "]";
      if (l == null || l.well() == null) {
        throw ApiException.badRequest("FIELD_REQUIRED", field + ".well", "each well needs its position, e.g. A1");
      }
      Well w = Well.tryParse(l.well()).orElseThrow(() ->
          ApiException.badRequest("INVALID_WELL", field + ".well", "well must be A1–H12"));
      if (byWell.put(w, l) != null) {
        throw ApiException.badRequest("DUPLICATE_WELL", field + ".well", "well " + w + " is used twice");
      }
      boolean isTube = l.tubeCode() != null && !l.tubeCode().isBlank();
      boolean isControl = l.control() != null && !l.control().isBlank();
      if (isTube == isControl) {
        throw ApiException.badRequest("INVALID_WELL_CONTENT", field, "a well holds either a tubeCode or a control");
      }
      if (isControl) {
        switch (l.control()) {
          case "POSITIVE" -> positive = true;
          case "NEGATIVE" -> negative = true;
          default -> throw ApiException.badRequest("INVALID_CONTROL", field + ".control", "control must be POSITIVE or NEGATIVE");
        }
      } else if (!tubes.add(l.tubeCode())) {
        throw ApiException.badRequest("DUPLICATE_TUBE", field + ".tubeCode", "tube " + l.tubeCode() + " is on the plate twice");
      }
    }
    if (!positive || !negative) {
      throw ApiException.badRequest("CONTROLS_REQUIRED", "wells", "a plate needs at least one POSITIVE and one NEGATIVE control");
    }
    if (tubes.isEmpty()) {
      throw ApiException.badRequest("NO_SAMPLES", "wells", "a plate needs at least one tube");
    }
    UUID runId = UUID.randomUUID();
    Instant now = clock.instant();
    LabQuality.PlateResources resources = quality.plate(labCode, runId, reagentLot, cycler, byWell.size());
    try {
      jdbc.sql("""
              insert into runs (id, lab_code, plate_code, status, created_by, created_at, reagent_lot, cycler)
              values (?, ?, ?, 'LOADED', ?, ?, ?, ?)""")
          .params(runId, labCode, plate, tech.name(), utc(now), resources.reagentLot(), resources.cycler()).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("PLATE_IN_USE", "Plate " + plate + " is on a run that is not finished");
    }
    List<String> claimed = jdbc.sql("""
            update lab_tubes set state = 'ON_PLATE', run_id = ?
            where tube_code = any(?) and lab_code = ? and state = 'WAITING' returning tube_code""")
        .params(runId, tubes.toArray(String[]::new), labCode).query(String.class).list();
    if (claimed.size() != tubes.size()) {
      Set<String> unavailable = new HashSet<>(tubes);
      claimed.forEach(unavailable::remove);
      throw ApiException.conflict("TUBE_NOT_AVAILABLE", "Not received and waiting at this lab (rejected, on another plate, or tested): "
          + String.join(", ", unavailable.stream().sorted().limit(10).toList()));
    }
    batch.batchUpdate("insert into run_wells (run_id, well, tube_code, control) values (?, ?, ?, ?)",
        byWell.entrySet().stream().map(e -> new Object[] {runId, e.getKey().toString(), blankToNull(e.getValue().tubeCode()),
            blankToNull(e.getValue().control())}).toList());
    return new Loaded(runId, "LOADED");
  }

  record Sample(String tubeCode, String well, Interpretation interpretation, String rule) {}

  record Entered(UUID runId, String status, List<Sample> samples) {}

  private record WellRow(Well well, String tubeCode, String control, CtValues ct, Interpretation interpretation, String rule) {}

  /**
   * Takes a run's instrument results, checks its controls and interprets every sample. The
   * same results sent again answer as the first time; different results for a run that has
   * them are 409.
   */
  @Transactional
  Entered enterResults(Actor tech, UUID runId, List<WellReading> readings) {
    Run run = lock(runId);
    Receipts.requireLabStaff(tech, run.labCode());
    List<WellRow> wells = wells(runId);
    Map<Well, CtValues> byWell = new HashMap<>();
    for (WellReading r : readings) {
      byWell.put(r.well(), r.ct());
    }
    List<String> missing = wells.stream().filter(w -> !byWell.containsKey(w.well())).map(w -> w.well().toString()).toList();
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("MISSING_WELLS", "wells", "No results for wells on the plate: "
          + String.join(", ", missing.stream().limit(12).toList()));
    }
    if (!run.status().equals("LOADED")) {
      boolean same = wells.stream().allMatch(w -> Objects.equals(w.ct(), byWell.get(w.well())));
      if (same) {
        return entered(run, wells); // the same file uploaded again
      }
      throw ApiException.conflict("RESULTS_ALREADY_ENTERED", "Run " + runId + " already has results (" + run.status() + ")");
    }
    boolean controlsPass = wells.stream().filter(w -> w.control() != null).allMatch(w -> w.control().equals("POSITIVE")
        ? interpreter.positiveControlPasses(byWell.get(w.well()))
        : interpreter.negativeControlPasses(byWell.get(w.well())));
    List<WellRow> done = new ArrayList<>();
    for (WellRow w : wells) {
      CtValues ct = byWell.get(w.well());
      if (w.tubeCode() == null) {
        done.add(new WellRow(w.well(), null, w.control(), ct, null, null));
      } else if (!controlsPass) {
        done.add(new WellRow(w.well(), w.tubeCode(), null, ct, null, "RUN_CONTROLS_FAILED"));
      } else {
        Verdict v = interpreter.interpret(ct);
        done.add(new WellRow(w.well(), w.tubeCode(), null, ct, v.interpretation(), v.rule()));
      }
    }
    batch.batchUpdate("update run_wells set ct_orf1ab = ?, ct_n = ?, ct_ic = ?, interpretation = ?, rule = ? where run_id = ? and well = ?",
        done.stream().map(w -> new Object[] {w.ct().orf1ab(), w.ct().n(), w.ct().ic(),
            w.interpretation() == null ? null : w.interpretation().name(), w.rule(), runId, w.well().toString()}).toList());
    Instant now = clock.instant();
    // every import's positive-control values go to QC, whatever the run's fate: a failed control
    // is a point on the Levey–Jennings chart too
    List<LabQuality.ControlValue> controls = new ArrayList<>();
    for (WellRow w : done) {
      if ("POSITIVE".equals(w.control())) {
        controls.add(new LabQuality.ControlValue(w.well().toString(), Target.ORF1AB.label(), w.ct().orf1ab()));
        controls.add(new LabQuality.ControlValue(w.well().toString(), Target.N.label(), w.ct().n()));
        controls.add(new LabQuality.ControlValue(w.well().toString(), Target.IC.label(), w.ct().ic()));
      }
    }
    boolean qcHolds = quality.captureControls(run.labCode(), runId, controls).filter(q -> q == QcStatus.REJECTED).isPresent();
    String status = controlsPass ? "RESULTS_ENTERED" : "CONTROLS_FAILED";
    jdbc.sql("update runs set status = ?, results_by = ?, results_at = ? where id = ?").params(status, tech.name(), utc(now), runId).update();
    if (controlsPass) {
      batch.batchUpdate("update lab_tubes set state = 'TESTED', result = ? where tube_code = ? and run_id = ?",
          done.stream().filter(w -> w.tubeCode() != null)
              .map(w -> new Object[] {w.interpretation().name(), w.tubeCode(), runId}).toList());
      counts.tested(runId, run.labCode(), now);
    } else {
      // the run is invalid as a whole: its tubes wait for another plate
      jdbc.sql("update lab_tubes set state = 'WAITING', run_id = null where run_id = ?").param(runId).update();
    }
    Run updated = new Run(runId, run.labCode(), run.plateCode(), status, tech.name());
    if (controlsPass && !qcHolds && properties.autoReleaseNegativeRuns()
        && done.stream().filter(w -> w.tubeCode() != null).allMatch(w -> w.interpretation() == Interpretation.NEGATIVE)) {
      release(updated, Actor.SYSTEM, true);
      return entered(new Run(runId, run.labCode(), run.plateCode(), "RELEASED", tech.name()), done);
    }
    return entered(updated, done);
  }

  record Approved(UUID runId, String status) {}

  /** A second person approves a run's results, which releases them; once. */
  @Transactional
  Approved approve(Actor reviewer, UUID runId) {
    Run run = lock(runId);
    if (reviewer.role() != Role.LAB_REVIEWER) {
      throw ApiException.outOfScope("Only a lab reviewer approves runs");
    }
    reviewer.requireLab(run.labCode());
    switch (run.status()) {
      case "RELEASED" -> {
        return new Approved(runId, "RELEASED");
      }
      case "RESULTS_ENTERED" -> {
        if (reviewer.name().equals(run.resultsBy())) {
          throw ApiException.conflict("SAME_USER", "Results must be approved by someone other than who entered them");
        }
        if (quality.holdsRelease(runId)) {
          throw ApiException.conflict("QC_REJECTED", "Run " + runId
              + " broke a Westgard rejection rule; record the corrective action before releasing it");
        }
        release(run, reviewer, false);
        return new Approved(runId, "RELEASED");
      }
      default -> throw ApiException.conflict("RUN_NOT_REVIEWABLE", "Run " + runId + " is " + run.status() + "; nothing to approve");
    }
  }

  private void release(Run run, Actor approver, boolean auto) {
    Instant now = clock.instant();
    int updated = jdbc.sql("update runs set status = 'RELEASED', approved_by = ?, approved_at = ?, auto_reviewed = ? where id = ? and status = 'RESULTS_ENTERED'")
        .params(auto ? AUTO_REVIEWER : approver.name(), utc(now), auto, run.id()).update();
    if (updated == 0) {
      return;
    }
    List<RunReleased.TubeResult> results = jdbc.sql("""
            with t as (update lab_tubes set state = 'RELEASED' where run_id = ? and state = 'TESTED' returning tube_code, result)
            select t.tube_code, t.result, w.ct_orf1ab, w.ct_n, w.ct_ic
            from t left join run_wells w on w.run_id = ? and w.tube_code = t.tube_code""")
        .params(run.id(), run.id())
        .query((rs, i) -> new RunReleased.TubeResult(rs.getString(1), rs.getString(2), (Double) rs.getObject(3),
            (Double) rs.getObject(4), (Double) rs.getObject(5))).list();
    counts.released(run.id(), run.labCode(), now);
    events.publishEvent(new RunReleased(run.id(), run.labCode(), now, results));
  }

  record WellView(String well, String tubeCode, String control, Double ctOrf1ab, Double ctN, Double ctIc,
      Interpretation interpretation, String rule) {}

  record RunView(UUID runId, String labCode, String plateCode, String status, String resultsBy, List<WellView> wells,
      String reagentLot, String cycler, LabQuality.RunQc qc) {}

  @Transactional(readOnly = true)
  RunView view(Actor actor, UUID runId) {
    Run run = jdbc.sql("select id, lab_code, plate_code, status, results_by from runs where id = ?").param(runId)
        .query(Runs::run).optional().orElseThrow(() -> ApiException.notFound("RUN_NOT_FOUND", "No run " + runId));
    actor.requireLab(run.labCode());
    String[] resources = jdbc.sql("select reagent_lot, cycler from runs where id = ?").param(runId)
        .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).single();
    List<WellView> wells = wells(runId).stream()
        .map(w -> new WellView(w.well().toString(), w.tubeCode(), w.control(), w.ct().orf1ab(), w.ct().n(), w.ct().ic(),
            w.interpretation(), w.rule()))
        .toList();
    return new RunView(runId, run.labCode(), run.plateCode(), run.status(), run.resultsBy(), wells, resources[0], resources[1],
        quality.runQc(runId).orElse(null));
  }

  private record Run(UUID id, String labCode, String plateCode, String status, String resultsBy) {}

  private Run lock(UUID runId) {
    return jdbc.sql("select id, lab_code, plate_code, status, results_by from runs where id = ? for update").param(runId)
        .query(Runs::run).optional().orElseThrow(() -> ApiException.notFound("RUN_NOT_FOUND", "No run " + runId));
  }

  private static Run run(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new Run(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }

  private List<WellRow> wells(UUID runId) {
    return jdbc.sql("select well, tube_code, control, ct_orf1ab, ct_n, ct_ic, interpretation, rule from run_wells where run_id = ?")
        .param(runId)
        .query((rs, i) -> {
          Double o = (Double) rs.getObject(4);
          Double n = (Double) rs.getObject(5);
          Double ic = (Double) rs.getObject(6);
          String interpretation = rs.getString(7);
          return new WellRow(Well.parse(rs.getString(1)), rs.getString(2), rs.getString(3), new CtValues(o, n, ic),
              interpretation == null ? null : Interpretation.valueOf(interpretation), rs.getString(8));
        })
        .list().stream().sorted((a, b) -> a.well().compareTo(b.well())).toList();
  }

  private static Entered entered(Run run, List<WellRow> wells) {
    List<Sample> samples = wells.stream().filter(w -> w.tubeCode() != null)
        .map(w -> new Sample(w.tubeCode(), w.well().toString(), w.interpretation() == null ? Interpretation.INVALID : w.interpretation(),
            w.rule()))
        .toList();
    return new Entered(run.id(), run.status(), samples);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
