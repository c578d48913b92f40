package org.epiloop.results;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.alerts.Alerts;
import org.epiloop.lab.RunReleased;
import org.epiloop.sampling.SampledTubes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns a released run into person results, set-based and idempotent (a redelivered event
 * writes nothing twice): one result per binding; recalls for members of positive pools and for
 * inconclusive or invalid tubes; a released single-tube result closes the person's open
 * recalls; a single-tube positive raises a CRITICAL_RESULT alert.
 */
@Service
public class PersonResults {

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final SampledTubes tubes;
  private final Alerts alerts;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  PersonResults(JdbcClient jdbc, JdbcTemplate batch, SampledTubes tubes, Alerts alerts, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.tubes = tubes;
    this.alerts = alerts;
    this.events = events;
    this.clock = clock;
  }

  static ResultStatus statusOf(String interpretation, boolean pooled) {
    return switch (interpretation) {
      case "NEGATIVE" -> ResultStatus.NEGATIVE;
      case "POSITIVE" -> pooled ? ResultStatus.RECALLED : ResultStatus.POSITIVE;
      default -> ResultStatus.RETEST;
    };
  }

  @Transactional
  void publish(RunReleased run) {
    Map<String, RunReleased.TubeResult> byTube = new HashMap<>();
    run.tubes().forEach(t -> byTube.put(t.tubeCode(), t));
    List<SampledTubes.Member> members = tubes.membersOf(byTube.keySet());
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    OffsetDateTime reported = run.releasedAt().atOffset(ZoneOffset.UTC);
    List<Object[]> results = new ArrayList<>(members.size());
    List<Object[]> recalls = new ArrayList<>();
    List<Object[]> closings = new ArrayList<>();
    int positives = 0;
    int recalled = 0;
    for (SampledTubes.Member m : members) {
      String interpretation = byTube.get(m.tubeCode()).interpretation();
      ResultStatus status = statusOf(interpretation, m.pooled());
      RunReleased.TubeResult tube = byTube.get(m.tubeCode());
      results.add(new Object[] {m.bindingId(), m.personId(), m.tubeCode(), run.runId(), run.labCode(), m.siteCode(),
          m.sampledAt().atOffset(ZoneOffset.UTC), m.pooled(), status.name(), reported, tube.ctOrf1ab(), tube.ctN(), tube.ctIc()});
      if (status == ResultStatus.RECALLED || status == ResultStatus.RETEST) {
        recalled++;
        String reason = status == ResultStatus.RECALLED ? "POOL_POSITIVE" : interpretation;
        recalls.add(new Object[] {m.bindingId(), m.personId(), m.siteCode(), m.tubeCode(), reason, now});
      }
      if (!m.pooled() && status != ResultStatus.RETEST) {
        closings.add(new Object[] {now, m.bindingId(), status.name(), m.personId(), m.bindingId(), m.sampledAt().atOffset(ZoneOffset.UTC)});
      }
      if (status == ResultStatus.POSITIVE) {
        positives++;
        alerts.raise("CRITICAL_RESULT", m.tubeCode(), "Single-tube positive released by lab " + run.labCode()
            + " for a person sampled at site " + m.siteCode() + "; contact tracing needed");
      }
    }
    batch.batchUpdate("""
        insert into person_results (binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at,
                                    ct_orf1ab, ct_n, ct_ic)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (binding_id) do nothing""", results);
    batch.batchUpdate("""
        insert into recalls (binding_id, person_id, site_code, tube_code, reason, since)
        values (?, ?, ?, ?, ?, ?) on conflict (binding_id) do nothing""", recalls);
    announce(recalls);
    batch.batchUpdate("""
        update recalls set closed_at = ?, retest_binding_id = ?, outcome = ?
        where person_id = ? and closed_at is null and binding_id <> ? and since <= ?""", closings);
    countOnce("run:" + run.runId(), run.releasedAt(), "pr.run_id = :run", run.runId(), null);
    events.publishEvent(new ResultPublished(run.runId(), run.labCode(),
        members.stream().map(SampledTubes.Member::personId).distinct().toList(), positives, recalled));
  }

  /** Members of tubes that will never be tested must be sampled again: RETEST, and a recall. */
  @Transactional
  void publishLost(org.epiloop.lab.TubesLost lost) {
    Map<String, String> reasons = new HashMap<>();
    lost.tubes().forEach(t -> reasons.put(t.tubeCode(), t.reason()));
    OffsetDateTime at = lost.at().atOffset(ZoneOffset.UTC);
    List<Object[]> results = new ArrayList<>();
    List<Object[]> recalls = new ArrayList<>();
    for (SampledTubes.Member m : tubes.membersOf(reasons.keySet())) {
      results.add(new Object[] {m.bindingId(), m.personId(), m.tubeCode(), null, lost.labCode(), m.siteCode(),
          m.sampledAt().atOffset(ZoneOffset.UTC), m.pooled(), ResultStatus.RETEST.name(), at});
      recalls.add(new Object[] {m.bindingId(), m.personId(), m.siteCode(), m.tubeCode(), reasons.get(m.tubeCode()), at});
    }
    batch.batchUpdate("""
        insert into person_results (binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (binding_id) do nothing""", results);
    batch.batchUpdate("""
        insert into recalls (binding_id, person_id, site_code, tube_code, reason, since)
        values (?, ?, ?, ?, ?, ?) on conflict (binding_id) do nothing""", recalls);
    announce(recalls);
    List<UUID> persons = results.stream().map(r -> (UUID) r[1]).distinct().toList();
    countOnce("lost:" + lost.boxCode() + ":" + lost.at(), lost.at(),
        "pr.run_id is null and pr.reported_at = :at and pr.tube_code in (:tubes)", null, List.copyOf(reasons.keySet()));
    if (!persons.isEmpty()) {
      events.publishEvent(new ResultPublished(null, lost.labCode(), persons, 0, persons.size()));
    }
  }

  /** Recalls were stored: the notice listener texts them (once each, whatever the redeliveries). */
  private void announce(List<Object[]> recalls) {
    if (!recalls.isEmpty()) {
      events.publishEvent(new RecallsOpened(recalls.stream().map(r -> (UUID) r[0]).toList()));
    }
  }

  /**
   * Adds the batch's persons to the command centre's counters (REPORTED, POSITIVE, RECALLED per
   * site and lab, in the hour of reporting), once: a redelivered event finds its mark and adds
   * nothing.
   */
  private void countOnce(String mark, Instant reportedAt, String where, UUID runId, List<String> tubeCodes) {
    OffsetDateTime at = reportedAt.atOffset(ZoneOffset.UTC);
    jdbc.sql("""
            with m as (
              insert into stage_marks (key, marked_at) values (:mark, :now) on conflict (key) do nothing returning key)
            insert into stage_counts (metric, hour, site_code, lab_code, shard, n)
            select x.metric, date_trunc('hour', pr.reported_at at time zone 'UTC') at time zone 'UTC', pr.site_code, pr.lab_code, '', count(*)
            from person_results pr
            cross join lateral (values ('REPORTED'),
                                       (case when pr.status = 'POSITIVE' then 'POSITIVE' end),
                                       (case when pr.status in ('RECALLED','RETEST') then 'RECALLED' end)) x(metric)
            where x.metric is not null and exists (select 1 from m) and %s
            group by x.metric, date_trunc('hour', pr.reported_at at time zone 'UTC') at time zone 'UTC', pr.site_code, pr.lab_code
            on conflict (metric, hour, site_code, lab_code, shard) do update set n = stage_counts.n + excluded.n""".formatted(where))
        .param("mark", mark).param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("run", runId)
        .param("at", at).param("tubes", tubeCodes == null ? List.of("") : tubeCodes).update();
  }

  /**
   * A released person result as it leaves the city (P2): what the province's bundle is built from.
   * {@code revision} is 0 as released and rises with each approved amendment.
   */
  public record Released(UUID bindingId, UUID personId, String tubeCode, UUID runId, String labCode, String siteCode,
      Instant sampledAt, boolean pooled, ResultStatus status, Instant reportedAt, int revision, Double ctOrf1ab, Double ctN,
      Double ctIc, Instant amendedAt) {}

  private static final String RELEASED = """
      select binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at, revision,
             ct_orf1ab, ct_n, ct_ic, amended_at
      from person_results""";

  static Released released(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    OffsetDateTime amended = rs.getObject(15, OffsetDateTime.class);
    return new Released(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getObject(4, UUID.class),
        rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getBoolean(8),
        ResultStatus.valueOf(rs.getString(9)), rs.getObject(10, OffsetDateTime.class).toInstant(), rs.getInt(11),
        (Double) rs.getObject(12), (Double) rs.getObject(13), (Double) rs.getObject(14), amended == null ? null : amended.toInstant());
  }

  /** A released positive, for the early warning and the heat layer: who and when (reported), nothing else. */
  public record Positive(UUID personId, String siteCode, Instant sampledAt, Instant reportedAt) {}

  /** Positives (own labs and received from outside) reported in [from, to). */
  @Transactional(readOnly = true)
  public List<Positive> positivesReported(Instant from, Instant to) {
    return jdbc.sql("""
            select person_id, site_code, sampled_at, reported_at from person_results
            where status = 'POSITIVE' and reported_at >= :from and reported_at < :to
            union all
            select person_id, null, sampled_at, reported_at from external_results
            where status = 'POSITIVE' and reported_at >= :from and reported_at < :to""")
        .param("from", from.atOffset(java.time.ZoneOffset.UTC)).param("to", to.atOffset(java.time.ZoneOffset.UTC))
        .query((rs, i) -> new Positive(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
            rs.getObject(4, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** The results a released run gave (tested results only: tubes lost before a run are not lab results). */
  @Transactional(readOnly = true)
  public List<Released> releasedOfRun(UUID runId) {
    return jdbc.sql(RELEASED + " where run_id = ?").param(runId).query(PersonResults::released).list();
  }

  /** The value a result was released with, before any amendment (from the history when it was amended). */
  @Transactional(readOnly = true)
  public ResultStatus releasedStatus(UUID bindingId) {
    return jdbc.sql("""
            select coalesce((select status from person_result_history where binding_id = :b and revision = 0),
                            (select status from person_results where binding_id = :b))""")
        .param("b", bindingId).query((rs, i) -> ResultStatus.valueOf(rs.getString(1))).single();
  }

  /** Released results by binding (sampling), in no particular order; unknown ids are left out. */
  @Transactional(readOnly = true)
  public List<Released> released(java.util.Collection<UUID> bindingIds) {
    if (bindingIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(RELEASED + " where binding_id = any(?)").param(bindingIds.toArray(UUID[]::new))
        .query(PersonResults::released).list();
  }

  /** The person's newest released result, if any, and whether a retest is outstanding. */
  /**
   * @param latestSource where the newest released result came from: null for Epiloop's own labs,
   *     else the outside source ({@link ResultLine#source()})
   */
  public record Standing(ResultStatus latest, Instant latestSampledAt, Instant lastNegativeSampledAt, boolean openRecall,
      String latestSource) {}

  @Transactional(readOnly = true)
  public Standing standing(UUID personId) {
    return standing(personId, of(personId));
  }

  /** The standing from the person's result lines as {@link #of} gave them (saves reading them twice). */
  @Transactional(readOnly = true)
  public Standing standing(UUID personId, List<ResultLine> lines) {
    ResultLine newestReleased = lines.stream().filter(l -> l.status() != ResultStatus.PENDING).findFirst().orElse(null);
    Instant lastNegative = lines.stream().filter(l -> l.status() == ResultStatus.NEGATIVE).map(ResultLine::sampledAt).findFirst().orElse(null);
    boolean recall = jdbc.sql("select exists (select 1 from recalls where person_id = ? and closed_at is null)").param(personId)
        .query(Boolean.class).single();
    return new Standing(newestReleased == null ? null : newestReleased.status(), lines.isEmpty() ? null : lines.get(0).sampledAt(),
        lastNegative, recall, newestReleased == null ? null : newestReleased.source());
  }

  /**
   * One result line as residents and the public query see it.
   *
   * @param resultId the result's id (the sampling's binding, or an external result's id): what a
   *     certificate is asked for by
   * @param source null for a result of Epiloop's own labs; for a result received from outside
   *     (ADR 0025) {@code <partner> / <lab>}, shown so nobody mistakes it for a local one
   */
  public record ResultLine(Instant sampledAt, ResultStatus status, Instant reportedAt, String labCode, boolean pooled,
      UUID resultId, String source) {}

  /**
   * A person's results, newest first; samplings without a released result are PENDING. Results
   * received from outside labs are among them, with their source.
   */
  @Transactional(readOnly = true)
  public List<ResultLine> of(UUID personId) {
    List<ResultLine> lines = new ArrayList<>(samplingsOf(personId).stream()
        .map(s -> new ResultLine(s.sampledAt(), s.status(), s.reportedAt(), s.labCode(), s.pooled(), s.bindingId(), null)).toList());
    List<ExternalResult> external = externalOf(personId);
    if (external.isEmpty()) {
      return lines;
    }
    external.forEach(e -> lines.add(new ResultLine(e.sampledAt(), e.status(), e.reportedAt(), e.labCode(), false, e.id(), e.source())));
    lines.sort(java.util.Comparator.comparing(ResultLine::sampledAt).reversed());
    return lines;
  }

  /** One sampling of a person with what became of it, for officials. */
  public record Sampling(Instant sampledAt, String siteCode, String tubeCode, boolean pooled, ResultStatus status,
      Instant reportedAt, String labCode, UUID bindingId) {}

  /** A recall of a person, open or closed. */
  public record RecallEntry(Instant since, String siteCode, String tubeCode, String reason, Instant notifiedAt,
      Integer notifiedPhones, Instant closedAt, String outcome) {}

  /** What happened to a person: samplings newest first, with their results, and their recalls. */
  @Transactional(readOnly = true)
  public List<Sampling> samplingsOf(UUID personId) {
    List<SampledTubes.Member> samplings = tubes.samplingsOf(personId);
    if (samplings.isEmpty()) {
      return List.of();
    }
    record Row(ResultStatus status, Instant reportedAt, String labCode) {}
    Map<UUID, Row> released = new HashMap<>();
    jdbc.sql("select binding_id, status, reported_at, lab_code from person_results where binding_id = any(?)")
        .param(samplings.stream().map(SampledTubes.Member::bindingId).toArray(UUID[]::new))
        .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), new Row(ResultStatus.valueOf(rs.getString(2)),
            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4))))
        .list().forEach(e -> released.put(e.getKey(), e.getValue()));
    return samplings.stream().map(s -> {
      Row r = released.get(s.bindingId());
      return new Sampling(s.sampledAt(), s.siteCode(), s.tubeCode(), s.pooled(), r == null ? ResultStatus.PENDING : r.status(),
          r == null ? null : r.reportedAt(), r == null ? null : r.labCode(), s.bindingId());
    }).toList();
  }

  @Transactional(readOnly = true)
  public List<RecallEntry> recallsOf(UUID personId) {
    return jdbc.sql("""
            select since, site_code, tube_code, reason, notified_at, notified_phones, closed_at, outcome
            from recalls where person_id = ? order by since desc limit 100""")
        .param(personId)
        .query((rs, i) -> {
          OffsetDateTime notified = rs.getObject(5, OffsetDateTime.class);
          OffsetDateTime closed = rs.getObject(7, OffsetDateTime.class);
          return new RecallEntry(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
              notified == null ? null : notified.toInstant(), (Integer) rs.getObject(6), closed == null ? null : closed.toInstant(),
              rs.getString(8));
        })
        .list();
  }

  /** Person results of a run by status. */
  @Transactional(readOnly = true)
  public Map<String, Integer> countsOf(UUID runId) {
    Map<String, Integer> out = new HashMap<>();
    jdbc.sql("select status, count(*) from person_results where run_id = ? group by status").param(runId)
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getInt(2))).list().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** An open recall: who to sample again at a site, and why. */
  public record Recall(UUID personId, String tubeCode, String reason, Instant since) {}

  @Transactional(readOnly = true)
  public List<Recall> openRecalls(String siteCode) {
    return jdbc.sql("select person_id, tube_code, reason, since from recalls where site_code = ? and closed_at is null order by since, tube_code limit 5000")
        .param(siteCode)
        .query((rs, i) -> new Recall(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
            rs.getObject(4, OffsetDateTime.class).toInstant()))
        .list();
  }

  // ---------------------------------------------------------------- results from outside (ADR 0025)

  /**
   * A result an outside lab produced, as a partner sent it: the person (found or registered by
   * document), the sender's own identifier of the result, the performing lab, when sampled and
   * reported, and NEGATIVE or POSITIVE (only final results are accepted).
   */
  public record ExternalResult(UUID id, UUID personId, String partner, String sourceSystem, String sourceValue, String labCode,
      String labName, String siteCode, Instant sampledAt, Instant reportedAt, ResultStatus status, Instant receivedAt) {

    /** How the result's source reads in a person's result list and health-code reason. */
    public String source() {
      return "外部结果 External: " + partner + " / " + (labName == null ? labCode : labName);
    }
  }

  /** What storing an external result did: the stored result, and whether this call stored it. */
  public record Received(ExternalResult result, boolean created) {}

  /**
   * Stores a result from an outside lab once per sender identifier (a bundle sent again stores
   * nothing and answers the stored result). A stored result counts like a local one: the health
   * code is recomputed ({@link ResultPublished}); a positive is a critical result for officials
   * (an alert paged at once: the case is in the city's population, traced by the city).
   */
  @Transactional
  public Received receiveExternal(ExternalResult r) {
    if (r.status() != ResultStatus.NEGATIVE && r.status() != ResultStatus.POSITIVE) {
      throw new IllegalArgumentException("only final NEGATIVE or POSITIVE results come from outside");
    }
    Optional<UUID> inserted = jdbc.sql("""
            insert into external_results (id, person_id, partner, source_system, source_value, lab_code, lab_name, site_code,
                                          sampled_at, reported_at, status, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (source_system, source_value) do nothing returning id""")
        .params(r.id(), r.personId(), r.partner(), r.sourceSystem(), r.sourceValue(), r.labCode(), r.labName(), r.siteCode(),
            r.sampledAt().atOffset(ZoneOffset.UTC), r.reportedAt().atOffset(ZoneOffset.UTC), r.status().name(),
            r.receivedAt().atOffset(ZoneOffset.UTC))
        .query(UUID.class).optional();
    if (inserted.isEmpty()) {
      return new Received(externalBySource(r.sourceSystem(), r.sourceValue()).orElseThrow(), false);
    }
    boolean positive = r.status() == ResultStatus.POSITIVE;
    if (positive) {
      alerts.raise("CRITICAL_RESULT", "EXT-" + r.id(), "Positive result from outside lab " + (r.labName() == null ? r.labCode() : r.labName())
          + ", received from partner " + r.partner() + "; contact tracing and a confirmatory test in the city needed");
    }
    events.publishEvent(new ResultPublished(null, r.labCode(), List.of(r.personId()), positive ? 1 : 0, 0));
    return new Received(r, true);
  }

  private static final String EXTERNAL = """
      select id, person_id, partner, source_system, source_value, lab_code, lab_name, site_code, sampled_at, reported_at, status,
             received_at
      from external_results""";

  private static ExternalResult external(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new ExternalResult(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9, OffsetDateTime.class).toInstant(),
        rs.getObject(10, OffsetDateTime.class).toInstant(), ResultStatus.valueOf(rs.getString(11)),
        rs.getObject(12, OffsetDateTime.class).toInstant());
  }

  /** A person's results from outside labs, newest sampling first. */
  @Transactional(readOnly = true)
  public List<ExternalResult> externalOf(UUID personId) {
    return jdbc.sql(EXTERNAL + " where person_id = ? order by sampled_at desc limit 200").param(personId)
        .query(PersonResults::external).list();
  }

  @Transactional(readOnly = true)
  public Optional<ExternalResult> external(UUID id) {
    return jdbc.sql(EXTERNAL + " where id = ?").param(id).query(PersonResults::external).optional();
  }

  private Optional<ExternalResult> externalBySource(String system, String value) {
    return jdbc.sql(EXTERNAL + " where source_system = ? and source_value = ?").params(system, value)
        .query(PersonResults::external).optional();
  }

  /** Whether this partner has sent a result of this person: what a partner may read back (ADR 0025). */
  @Transactional(readOnly = true)
  public boolean sentBy(String partner, UUID personId) {
    return jdbc.sql("select exists (select 1 from external_results where partner = ? and person_id = ?)").params(partner, personId)
        .query(Boolean.class).single();
  }

  // ---------------------------------------------------------------- released results of the city's labs

  /**
   * A released result of one of the city's labs, as a certificate and the FHIR read API show it.
   * {@code status} is the result's value now: an amendment changes it.
   */
  public record LocalResult(UUID bindingId, UUID personId, String tubeCode, String labCode, String siteCode, Instant sampledAt,
      boolean pooled, ResultStatus status, Instant reportedAt) {}

  private static final String LOCAL = """
      select binding_id, person_id, tube_code, lab_code, site_code, sampled_at, pooled, status, reported_at from person_results""";

  private static LocalResult local(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new LocalResult(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getBoolean(7), ResultStatus.valueOf(rs.getString(8)),
        rs.getObject(9, OffsetDateTime.class).toInstant());
  }

  /** The released result of a sampling, as it stands now; empty while none was released. */
  @Transactional(readOnly = true)
  public Optional<LocalResult> local(UUID bindingId) {
    return jdbc.sql(LOCAL + " where binding_id = ?").param(bindingId).query(PersonResults::local).optional();
  }

  /** A person's released results from the city's labs, newest sampling first. */
  @Transactional(readOnly = true)
  public List<LocalResult> localOf(UUID personId) {
    return jdbc.sql(LOCAL + " where person_id = ? order by sampled_at desc limit 200").param(personId).query(PersonResults::local).list();
  }

  /**
   * Whether a released result was superseded: the person has a released result of a later
   * sampling (here or from outside) with another value. A negative followed by another negative
   * still stands; a negative followed by a positive does not (a certificate of it is revoked).
   */
  @Transactional(readOnly = true)
  public boolean superseded(LocalResult r) {
    return jdbc.sql("""
            select exists (select 1 from person_results where person_id = :p and sampled_at > :at and status <> :s)
                or exists (select 1 from external_results where person_id = :p and sampled_at > :at and status <> :s)""")
        .param("p", r.personId()).param("at", r.sampledAt().atOffset(ZoneOffset.UTC)).param("s", r.status().name())
        .query(Boolean.class).single();
  }
}
