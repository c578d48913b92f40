package org.epiloop.results;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.epiloop.alerts.Alerts;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.epiloop.shared.TextInput;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Corrections of released results under the two-person rule (issue 16 item 4): a lab reviewer
 * proposes a new value with a reason, another reviewer of the same lab approves (or rejects) it.
 * Approval keeps the old value in {@code person_result_history}, changes the result, raises its
 * revision, alerts the command centre and publishes {@link ResultAmended}, whose listeners
 * recompute the health code, text the person and queue the amended report for the province.
 */
@Service
class ResultAmendments {

  /** A proposal's life: open until a second reviewer decides. */
  enum State { PROPOSED, APPROVED, REJECTED }

  private final JdbcClient jdbc;
  private final Persons persons;
  private final Alerts alerts;
  private final AuditTrail audit;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  ResultAmendments(JdbcClient jdbc, Persons persons, Alerts alerts, AuditTrail audit, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.persons = persons;
    this.alerts = alerts;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  /** A released result of a tube, for the reviewer who corrects it (the person masked). */
  record TubeResult(UUID bindingId, String nameMasked, String idMasked, ResultStatus status, int revision, Instant sampledAt,
      Instant reportedAt, boolean pooled) {}

  /** The released results of a tube tested by the reviewer's lab. */
  @Transactional(readOnly = true)
  List<TubeResult> resultsOfTube(Actor reviewer, String labCode, String tubeCode) {
    requireReviewer(reviewer);
    reviewer.requireLab(labCode);
    List<PersonResults.Released> rows = jdbc.sql("""
            select binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at, revision,
                   ct_orf1ab, ct_n, ct_ic, amended_at
            from person_results where tube_code = ? and lab_code = ? and run_id is not null order by sampled_at""")
        .params(tubeCode, labCode).query(PersonResults::released).list();
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(PersonResults.Released::personId).toList());
    return rows.stream().map(r -> {
      Persons.PersonView v = views.get(r.personId());
      return new TubeResult(r.bindingId(), v == null ? "" : v.nameMasked(), v == null ? "" : v.idMasked(), r.status(), r.revision(),
          r.sampledAt(), r.reportedAt(), r.pooled());
    }).toList();
  }

  /** A proposal as reviewers see it. */
  record Amendment(UUID id, UUID bindingId, String tubeCode, String labCode, ResultStatus from, ResultStatus to, String reason,
      State state, String proposedBy, Instant proposedAt, String decidedBy, Instant decidedAt, AmendmentKind kind) {}

  private static final String SELECT = """
      select a.id, a.binding_id, pr.tube_code, a.lab_code, a.from_status, a.to_status, a.reason, a.state, a.proposed_by, a.proposed_at,
             a.decided_by, a.decided_at, a.kind
      from result_amendments a join person_results pr on pr.binding_id = a.binding_id""";

  private static Amendment amendment(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    OffsetDateTime decided = rs.getObject(12, OffsetDateTime.class);
    return new Amendment(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
        ResultStatus.valueOf(rs.getString(5)), ResultStatus.valueOf(rs.getString(6)), rs.getString(7), State.valueOf(rs.getString(8)),
        rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant(), rs.getString(11), decided == null ? null : decided.toInstant(),
        AmendmentKind.valueOf(rs.getString(13)));
  }

  /** One reviewer proposes a new value for a released result; nothing changes until another approves. */
  @Transactional
  Amendment propose(Actor reviewer, UUID bindingId, String toStatus, String reason, String kindName) {
    requireReviewer(reviewer);
    ResultStatus to = parseStatus(toStatus);
    AmendmentKind kind = parseKind(kindName);
    String why = ApiException.required("reason", reason).strip();
    if (why.isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "reason", "reason is required");
    }
    if (why.length() > 500) {
      throw ApiException.badRequest("VALIDATION_FAILED", "reason", "reason has at most 500 characters");
    }
    TextInput.requireClean("reason", why, true);
    PersonResults.Released result = jdbc.sql("""
            select binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at, revision,
                   ct_orf1ab, ct_n, ct_ic, amended_at
            from person_results where binding_id = ? and run_id is not null for update""")
        .param(bindingId).query(PersonResults::released).optional()
        .orElseThrow(() -> ApiException.notFound("RESULT_NOT_FOUND", "No released result " + bindingId));
    reviewer.requireLab(result.labCode());
    if (result.status() == to) {
      throw ApiException.unprocessable("AMENDMENT_UNCHANGED", "status", "The result already is " + to);
    }
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    int inserted = jdbc.sql("""
            insert into result_amendments (id, binding_id, lab_code, from_status, to_status, reason, state, proposed_by, proposed_at, kind)
            values (?, ?, ?, ?, ?, ?, 'PROPOSED', ?, ?, ?) on conflict (binding_id) where state = 'PROPOSED' do nothing""")
        .params(id, bindingId, result.labCode(), result.status().name(), to.name(), why, reviewer.name(), now.atOffset(ZoneOffset.UTC),
            kind.name())
        .update();
    if (inserted == 0) {
      throw ApiException.conflict("AMENDMENT_OPEN", "This result already has a correction waiting for a second reviewer");
    }
    audit.record(reviewer, "RESULT_AMENDMENT_PROPOSED", "person", result.personId().toString(),
        "sampling " + bindingId + ": " + result.status() + " -> " + to + " (" + kind + ")");
    return find(id);
  }

  /** A second reviewer of the lab approves: the result changes, everyone downstream follows. */
  @Transactional
  Amendment approve(Actor reviewer, UUID amendmentId) {
    Amendment a = decide(reviewer, amendmentId);
    PersonResults.Released result = jdbc.sql("""
            select binding_id, person_id, tube_code, run_id, lab_code, site_code, sampled_at, pooled, status, reported_at, revision,
                   ct_orf1ab, ct_n, ct_ic, amended_at
            from person_results where binding_id = ? for update""")
        .param(a.bindingId()).query(PersonResults::released).single();
    if (result.status() != a.from()) {
      // the result moved since the proposal (another amendment): approving would overwrite it unseen
      throw ApiException.conflict("AMENDMENT_STALE", "The result changed since this correction was proposed; propose it again");
    }
    Instant now = clock.instant();
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    jdbc.sql("""
            insert into person_result_history (binding_id, revision, status, reported_at, replaced_at, amendment_id)
            values (?, ?, ?, ?, ?, ?)""")
        .params(result.bindingId(), result.revision(), result.status().name(), result.reportedAt().atOffset(ZoneOffset.UTC), at, a.id())
        .update();
    int revision = result.revision() + 1;
    jdbc.sql("update person_results set status = ?, revision = ?, amended_at = ? where binding_id = ?")
        .params(a.to().name(), revision, at, result.bindingId()).update();
    jdbc.sql("update result_amendments set state = 'APPROVED', decided_by = ?, decided_at = ? where id = ?")
        .params(reviewer.name(), at, a.id()).update();
    audit.record(reviewer, "RESULT_AMENDED", "person", result.personId().toString(),
        "sampling " + result.bindingId() + ": " + a.from() + " -> " + a.to() + ", proposed by " + a.proposedBy());
    alerts.raise("RESULT_AMENDED", result.tubeCode() + "/" + result.bindingId() + "/" + revision,
        "Lab " + result.labCode() + " corrected a released result of tube " + result.tubeCode() + " from " + a.from() + " to "
            + a.to() + " (approved by a second reviewer)");
    followRecall(result, a.to(), at);
    events.publishEvent(new ResultAmended(a.id(), result.bindingId(), result.personId(), result.labCode(), a.from(), a.to(), revision,
        a.reason(), now, a.kind()));
    return find(a.id());
  }

  /**
   * The recall follow-up follows the new value (ADR 0018): a result that now recalls the person
   * (RECALLED, RETEST) opens a recall for this sampling — or reopens the one an earlier value had
   * closed — and the notice goes out as for a released one; a result that no longer recalls
   * (NEGATIVE, POSITIVE) closes this sampling's open recall, with the new value as its outcome,
   * so the site's work queue and the health code stop asking for a retest.
   */
  private void followRecall(PersonResults.Released result, ResultStatus to, OffsetDateTime at) {
    if (to == ResultStatus.RECALLED || to == ResultStatus.RETEST) {
      String recallReason = to == ResultStatus.RECALLED ? "POOL_POSITIVE" : "INCONCLUSIVE";
      jdbc.sql("""
              insert into recalls (binding_id, person_id, site_code, tube_code, reason, since)
              values (?, ?, ?, ?, ?, ?)
              on conflict (binding_id) do update set reason = excluded.reason,
                since = case when recalls.closed_at is null then recalls.since else excluded.since end,
                notified_at = case when recalls.closed_at is null then recalls.notified_at end,
                notified_phones = case when recalls.closed_at is null then recalls.notified_phones end,
                closed_at = null, outcome = null, retest_binding_id = null""")
          .params(result.bindingId(), result.personId(), result.siteCode(), result.tubeCode(), recallReason, at).update();
      events.publishEvent(new RecallsOpened(List.of(result.bindingId())));
    } else {
      jdbc.sql("update recalls set closed_at = ?, outcome = ? where binding_id = ? and closed_at is null")
          .params(at, "AMENDED_" + to.name(), result.bindingId()).update();
    }
  }

  /** A second reviewer refuses the correction: nothing changes; the result may be proposed again. */
  @Transactional
  Amendment reject(Actor reviewer, UUID amendmentId) {
    Amendment a = decide(reviewer, amendmentId);
    jdbc.sql("update result_amendments set state = 'REJECTED', decided_by = ?, decided_at = ? where id = ?")
        .params(reviewer.name(), clock.instant().atOffset(ZoneOffset.UTC), a.id()).update();
    audit.record(reviewer, "RESULT_AMENDMENT_REJECTED", "sampling", a.bindingId().toString(), a.from() + " -> " + a.to());
    return find(a.id());
  }

  /** Open proposals (and the latest decided ones) of the reviewer's lab, newest first. */
  @Transactional(readOnly = true)
  List<Amendment> ofLab(Actor reviewer, String labCode) {
    requireReviewer(reviewer);
    reviewer.requireLab(labCode);
    return jdbc.sql(SELECT + " where a.lab_code = ? order by (a.state = 'PROPOSED') desc, a.proposed_at desc limit 200")
        .param(labCode).query(ResultAmendments::amendment).list();
  }

  private Amendment decide(Actor reviewer, UUID amendmentId) {
    requireReviewer(reviewer);
    Amendment a = jdbc.sql(SELECT + " where a.id = ? for update of a").param(amendmentId).query(ResultAmendments::amendment).optional()
        .orElseThrow(() -> ApiException.notFound("AMENDMENT_NOT_FOUND", "No correction " + amendmentId));
    reviewer.requireLab(a.labCode());
    if (a.state() != State.PROPOSED) {
      throw ApiException.conflict("AMENDMENT_DECIDED", "This correction was already " + a.state().name().toLowerCase(Locale.ROOT));
    }
    if (reviewer.name().equals(a.proposedBy())) {
      throw ApiException.conflict("AMENDMENT_SAME_REVIEWER", "A correction must be approved by another reviewer than who proposed it");
    }
    return a;
  }

  private Amendment find(UUID id) {
    return jdbc.sql(SELECT + " where a.id = ?").param(id).query(ResultAmendments::amendment).single();
  }

  private static void requireReviewer(Actor actor) {
    if (actor.role() != Role.LAB_REVIEWER) {
      throw ApiException.outOfScope("Only lab reviewers correct released results");
    }
  }

  /** Omitted: a revision ({@code amended}), the cautious default — a correction claims the released value was an error. */
  private static AmendmentKind parseKind(String kind) {
    if (kind == null || kind.isBlank()) {
      return AmendmentKind.REVISION;
    }
    try {
      return AmendmentKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_PARAMETER", "kind", "kind is CORRECTION or REVISION");
    }
  }

  private static ResultStatus parseStatus(String status) {
    ApiException.required("status", status);
    try {
      ResultStatus s = ResultStatus.valueOf(status);
      if (s != ResultStatus.PENDING) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.badRequest("INVALID_PARAMETER", "status", "status is NEGATIVE, POSITIVE, RECALLED or RETEST");
  }
}
