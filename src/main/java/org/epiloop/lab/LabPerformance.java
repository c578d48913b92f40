package org.epiloop.lab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.epiloop.directory.Directory;
import org.epiloop.labquality.LabQuality;
import org.epiloop.sampling.SampledTubes;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A lab's turnaround and performance (L8) over the last hours: each released sample's path
 * collection → receipt → plating → result → release, the stages' medians and 90th percentiles,
 * an hour-of-day × stage heat map, the rerun rate, and tests per technician-hour.
 */
@Service
class LabPerformance {

  static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
  /** Most samples one answer looks at (the most recent releases). */
  static final int MAX_SAMPLES = 20_000;

  /** The stages, each ending at the step it is named after. */
  enum Stage { TRANSPORT, WAITING, TESTING, REVIEW, TOTAL }

  private final JdbcClient jdbc;
  private final SampledTubes tubes;
  private final Directory directory;
  private final Clock clock;
  private final LabQuality quality;

  LabPerformance(JdbcClient jdbc, SampledTubes tubes, Directory directory, LabQuality quality, Clock clock) {
    this.quality = quality;
    this.jdbc = jdbc;
    this.tubes = tubes;
    this.directory = directory;
    this.clock = clock;
  }

  /** One released sample's times (collection may be unknown for a tube bound elsewhere). */
  record Sample(String tubeCode, Instant collected, Instant received, Instant plated, Instant resulted, Instant released) {}

  record StageFigures(Stage stage, int samples, Double medianMinutes, Double p90Minutes) {}

  /** Median minutes of a stage for samples whose stage ended in that hour of the day (city time). */
  record HeatCell(int hour, Stage stage, int samples, double medianMinutes) {}

  /**
   * @param rerunRate share of tested tubes that were placed on more than one run
   * @param controlFailureRate share of runs whose controls failed (and were run again)
   * @param qcFailureRate share of the runs judged by the Westgard rules in the window that a rule
   *     rejected (the quality module's figure); null when none was judged, never estimated
   * @param testsPerTechnicianHour tubes with results per hour in which a technician entered results
   */
  record Performance(String labCode, int hours, int samples, List<StageFigures> stages, List<HeatCell> heatMap, List<Sample> recent,
      int runs, int runsControlsFailed, Double controlFailureRate, Double rerunRate, Double qcFailureRate, int testedTubes,
      int technicianHours, Double testsPerTechnicianHour) {}

  @Transactional(readOnly = true)
  Performance of(Actor actor, String lab, Integer hours) {
    if (directory.lab(lab).isEmpty()) {
      throw ApiException.notFound("LAB_NOT_FOUND", "No lab " + lab);
    }
    actor.requireLab(lab);
    int h = hours == null ? 24 : hours;
    if (h < 1 || h > 24 * 14) {
      throw ApiException.badRequest("INVALID_PARAMETER", "hours", "hours must be 1–336");
    }
    OffsetDateTime since = clock.instant().minus(Duration.ofHours(h)).atOffset(ZoneOffset.UTC);
    record Row(String tube, Instant received, Instant plated, Instant resulted, Instant released) {}
    List<Row> rows = jdbc.sql("""
            select t.tube_code, t.received_at, r.created_at, r.results_at, r.approved_at
            from lab_tubes t join runs r on r.id = t.run_id
            where t.lab_code = ? and t.state = 'RELEASED' and r.approved_at >= ? order by r.approved_at desc limit ?""")
        .params(lab, since, MAX_SAMPLES)
        .query((rs, i) -> new Row(rs.getString(1), at(rs, 2), at(rs, 3), at(rs, 4), at(rs, 5))).list();
    Map<String, Instant> collected = tubes.firstSampledAt(rows.stream().map(Row::tube).toList());
    List<Sample> samples = rows.stream().map(r -> new Sample(r.tube(), collected.get(r.tube()), r.received(), r.plated(), r.resulted(), r.released())).toList();
    List<StageFigures> stages = new ArrayList<>();
    List<HeatCell> heat = new ArrayList<>();
    for (Stage stage : Stage.values()) {
      double[] minutes = samples.stream().map(s -> minutes(stage, s)).filter(m -> m != null).mapToDouble(Double::doubleValue).toArray();
      stages.add(new StageFigures(stage, minutes.length, quantile(minutes, 0.5), quantile(minutes, 0.9)));
      if (stage == Stage.TOTAL) {
        continue;
      }
      for (int hour = 0; hour < 24; hour++) {
        int hh = hour;
        double[] inHour = samples.stream().filter(s -> minutes(stage, s) != null && end(stage, s).atZone(CITY).getHour() == hh)
            .mapToDouble(s -> minutes(stage, s)).toArray();
        if (inHour.length > 0) {
          heat.add(new HeatCell(hour, stage, inHour.length, quantile(inHour, 0.5)));
        }
      }
    }
    record Runs(int all, int failed) {}
    Runs runs = jdbc.sql("""
            select count(*), count(*) filter (where status = 'CONTROLS_FAILED') from runs
            where lab_code = ? and results_at >= ?""")
        .params(lab, since).query((rs, i) -> new Runs(rs.getInt(1), rs.getInt(2))).single();
    record Tested(int tubes, int rerun) {}
    Tested tested = jdbc.sql("""
            select count(*), count(*) filter (where n > 1) from (
              select w.tube_code, count(distinct w.run_id) n from run_wells w join runs r on r.id = w.run_id
              where r.lab_code = ? and r.results_at >= ? and w.tube_code is not null group by w.tube_code) x""")
        .params(lab, since).query((rs, i) -> new Tested(rs.getInt(1), rs.getInt(2))).single();
    // an hour in which a technician entered results counts as a technician-hour at the bench
    int techHours = jdbc.sql("""
            select count(*) from (select distinct results_by, date_trunc('hour', results_at) from runs
            where lab_code = ? and results_at >= ? and results_by is not null) x""")
        .params(lab, since).query(Integer.class).single();
    return new Performance(lab, h, samples.size(), stages, heat, samples.stream().limit(20).toList(), runs.all(), runs.failed(),
        runs.all() == 0 ? null : runs.failed() / (double) runs.all(), tested.tubes() == 0 ? null : tested.rerun() / (double) tested.tubes(),
        quality.figures(lab, since.toInstant()).qcFailureRate(), tested.tubes(), techHours, techHours == 0 ? null : tested.tubes() / (double) techHours);
  }

  private static Double minutes(Stage stage, Sample s) {
    Instant from = switch (stage) {
      case TRANSPORT, TOTAL -> s.collected();
      case WAITING -> s.received();
      case TESTING -> s.plated();
      case REVIEW -> s.resulted();
    };
    Instant to = end(stage, s);
    return from == null || to == null ? null : Duration.between(from, to).toSeconds() / 60.0;
  }

  private static Instant end(Stage stage, Sample s) {
    return switch (stage) {
      case TRANSPORT -> s.received();
      case WAITING -> s.plated();
      case TESTING -> s.resulted();
      case REVIEW, TOTAL -> s.released();
    };
  }

  static Double quantile(double[] values, double q) {
    if (values.length == 0) {
      return null;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    // nearest rank: the smallest value with at least q of the values at or below it
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, rank - 1)];
  }

  private static Instant at(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
