package org.epiloop.healthcode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.results.PersonResults;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.FreeText;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes and keeps each person's code. A stored code is used until it is marked stale (by an
 * event that matters: results, cases, contacts, overrides, rule changes) or until a time window
 * in one of its reasons ends; only then is it recomputed, so a read is one indexed lookup.
 *
 * <p>Every such event leaves a row for each person it concerns ({@link #markStale} inserts a
 * stale one where there was none). So a person without a row has no fact any rule reads, and
 * their code is green without reading anything else: most of a city, on most reads.
 */
@Service
public class HealthCodes {

  /** A reason the person can read. */
  /** Why a colour was given; the text may quote an official's reason, so it may span lines. */
  public record Reason(String code, @FreeText String text) {}

  /** A person's code at a moment. */
  public record Code(UUID personId, HealthColor color, List<Reason> reasons, Instant computedAt) {}

  private final JdbcClient jdbc;
  private final PersonResults results;
  private final org.epiloop.venue.Exposures exposures;
  private final AuditTrail audit;
  private final JsonMapper json;
  private final Clock clock;
  private final org.epiloop.monitoring.Declarations declarations;
  private final java.time.ZoneId zone;
  private final List<HealthCodeRule> rules = HealthCodeRules.defaults();

  static final Reason NO_RISK = new Reason("NO_RISK", "无异常 No known risk");

  HealthCodes(JdbcClient jdbc, PersonResults results, org.epiloop.venue.Exposures exposures, AuditTrail audit, JsonMapper json,
      Clock clock, org.epiloop.monitoring.Declarations declarations, org.epiloop.platform.EpiloopProperties epiloop) {
    this.declarations = declarations;
    this.zone = epiloop.zone();
    this.jdbc = jdbc;
    this.results = results;
    this.exposures = exposures;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  /** The person's current code, recomputed only when stale. */
  @Transactional
  public Code current(UUID personId) {
    return current(personId, null, false);
  }

  /**
   * The same, for a transaction that writes nothing else (a code read, a verification): given the
   * person's result lines when the caller has read them already ({@code null}: read them if a
   * recomputation needs them), and a recomputed code is stored without waiting for the WAL
   * flush. Never call it inside a transaction that records anything else.
   */
  @Transactional
  Code currentForRead(UUID personId, List<PersonResults.ResultLine> knownResults) {
    return current(personId, knownResults, true);
  }

  private Code current(UUID personId, List<PersonResults.ResultLine> knownResults, boolean readOnlyCaller) {
    Instant now = clock.instant();
    record Stored(HealthColor color, String reasons, Instant computedAt, Instant validUntil) {}
    Optional<Stored> stored = jdbc.sql("select color, reasons, computed_at, valid_until from health_codes where person_id = ?").param(personId)
        .query((rs, i) -> {
          OffsetDateTime until = rs.getObject(4, OffsetDateTime.class);
          return new Stored(HealthColor.valueOf(rs.getString(1)), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
              until == null ? null : until.toInstant());
        })
        .optional();
    if (stored.isEmpty()) {
      return new Code(personId, HealthColor.GREEN, List.of(NO_RISK), now);
    }
    if (stored.get().validUntil() == null || stored.get().validUntil().isAfter(now)) {
      return new Code(personId, stored.get().color(), json.readValue(stored.get().reasons(), new TypeReference<List<Reason>>() {}),
          stored.get().computedAt());
    }
    return recompute(personId, now, knownResults, readOnlyCaller);
  }

  private Code recompute(UUID personId, Instant now, List<PersonResults.ResultLine> knownResults, boolean readOnlyCaller) {
    HealthFacts facts = facts(personId, now, knownResults);
    RuleSettings settings = settings();
    HealthColor color = HealthColor.GREEN;
    List<Reason> reasons = new ArrayList<>();
    Instant validUntil = null;
    if (facts.override() != null) {
      color = facts.override().color();
      reasons.add(new Reason("OFFICIAL_OVERRIDE", "防疫部门判定 Set by health officials: " + facts.override().reason()));
      validUntil = facts.override().until();
    } else {
      for (HealthCodeRule rule : rules) {
        Optional<HealthCodeRule.Finding> finding = rule.apply(facts, settings, now);
        if (finding.isPresent()) {
          color = color.worst(finding.get().color());
          reasons.add(new Reason(finding.get().code(), finding.get().text()));
          Instant until = finding.get().until();
          if (until != null && (validUntil == null || until.isBefore(validUntil))) {
            validUntil = until;
          }
        }
      }
    }
    if (reasons.isEmpty()) {
      reasons.add(NO_RISK);
    }
    if (readOnlyCaller) {
      // The stored code is derived data: if a crash loses this write, the code is computed again
      // on its next read, and a stale mark committed later is never lost before it (WAL order).
      // So a read's commit need not wait for the WAL flush.
      jdbc.sql("set local synchronous_commit = off").update();
    }
    // A stale mark set after this computation began (an event that committed while the facts were
    // read) is kept: the code computed here may predate that event, and the next read recomputes.
    jdbc.sql("""
            insert into health_codes (person_id, color, reasons, computed_at, valid_until) values (?, ?, ?, ?, ?)
            on conflict (person_id) do update set color = excluded.color, reasons = excluded.reasons,
              computed_at = excluded.computed_at, valid_until = excluded.valid_until
            where health_codes.valid_until is null or health_codes.valid_until <= excluded.computed_at""")
        .params(personId, color.name(), json.writeValueAsString(reasons), utc(now), validUntil == null ? null : utc(validUntil))
        .update();
    return new Code(personId, color, reasons, now);
  }

  private HealthFacts facts(UUID personId, Instant now, List<PersonResults.ResultLine> knownResults) {
    Instant confirmed = jdbc.sql("select confirmed_at from health_cases where person_id = ?").param(personId)
        .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional().orElse(null);
    List<HealthFacts.Contact> contacts = exposures.of(personId).stream()
        .map(e -> new HealthFacts.Contact(e.level(), e.exposedAt())).toList();
    HealthFacts.Override override = jdbc.sql("select color, reason, until from health_overrides where person_id = ? and until > ?")
        .params(personId, utc(now))
        .query((rs, i) -> new HealthFacts.Override(HealthColor.valueOf(rs.getString(1)), rs.getString(2),
            rs.getObject(3, OffsetDateTime.class).toInstant()))
        .optional().orElse(null);
    List<PersonResults.ResultLine> lines = knownResults == null ? results.of(personId) : knownResults;
    List<Instant> negatives = lines.stream().filter(l -> l.status() == org.epiloop.results.ResultStatus.NEGATIVE)
        .map(PersonResults.ResultLine::sampledAt).sorted().toList();
    return new HealthFacts(confirmed, contacts, override, results.standing(personId, lines), negatives, declarations.factsOf(personId),
        zone);
  }

  /**
   * Marks codes stale; they are recomputed on their next read. A person without a stored code
   * gets a stale placeholder row, which says "some fact about this person exists".
   */
  @Transactional
  public void markStale(Collection<UUID> personIds) {
    if (!personIds.isEmpty()) {
      OffsetDateTime now = utc(clock.instant());
      jdbc.sql("""
              insert into health_codes (person_id, color, reasons, computed_at, valid_until)
              select p, 'GREEN', '[]', ?, ? from unnest(?::uuid[]) p
              on conflict (person_id) do update set valid_until = excluded.valid_until""")
          .params(now, now, personIds.stream().distinct().toArray(UUID[]::new)).update();
    }
  }

  @Transactional
  void recordCase(UUID caseId, UUID personId, Instant confirmedAt) {
    jdbc.sql("insert into health_cases (person_id, case_id, confirmed_at) values (?, ?, ?) on conflict (person_id) do nothing")
        .params(personId, caseId, utc(confirmedAt)).update();
    markStale(List.of(personId));
  }

  /** An official sets a person's colour for a while, with a reason; audited. */
  @Transactional
  Code override(Actor official, UUID personId, HealthColor color, String reason, Duration duration) {
    Instant now = clock.instant();
    jdbc.sql("""
            insert into health_overrides (person_id, color, reason, set_by, set_at, until) values (?, ?, ?, ?, ?, ?)
            on conflict (person_id) do update set color = excluded.color, reason = excluded.reason, set_by = excluded.set_by,
              set_at = excluded.set_at, until = excluded.until""")
        .params(personId, color.name(), reason, official.name(), utc(now), utc(now.plus(duration))).update();
    audit.record(official, "HEALTH_CODE_OVERRIDDEN", "person", personId.toString(), color + " for " + duration + ": " + reason);
    markStale(List.of(personId));
    return current(personId);
  }

  /** The rule settings in force. */
  RuleSettings settings() {
    RuleSettings s = RuleSettings.DEFAULTS;
    for (Map.Entry<String, String> e : jdbc.sql("select name, value from health_rule_settings")
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2))).list()) {
      s = s.with(e.getKey(), e.getValue());
    }
    return s;
  }

  /** Changes one setting; recorded with who, when, old and new; every code is recomputed on its next read. */
  @Transactional
  RuleSettings change(Actor admin, String name, String value) {
    // admin: an ADMIN or an OFFICIAL (H4: rules are the health commission's configuration)
    ApiException.required("value", value);
    RuleSettings before = settings();
    RuleSettings after = before.with(name, value.strip());
    String old = before.asMap().get(name);
    Instant now = clock.instant();
    jdbc.sql("""
            insert into health_rule_settings (name, value, changed_by, changed_at) values (?, ?, ?, ?)
            on conflict (name) do update set value = excluded.value, changed_by = excluded.changed_by, changed_at = excluded.changed_at""")
        .params(name, after.asMap().get(name), admin.name(), utc(now)).update();
    jdbc.sql("insert into health_rule_changes (at, changed_by, name, old_value, new_value) values (?, ?, ?, ?, ?)")
        .params(utc(now), admin.name(), name, old, after.asMap().get(name)).update();
    jdbc.sql("update health_codes set valid_until = ?").param(utc(now)).update();
    audit.record(admin, "HEALTH_RULE_CHANGED", "health_rule", name, old + " → " + after.asMap().get(name));
    return after;
  }

  /** One recorded change of a rule setting. */
  record Change(Instant at, String changedBy, String name, String oldValue, String newValue) {}

  List<Change> changes() {
    return jdbc.sql("select at, changed_by, name, old_value, new_value from health_rule_changes order by id desc limit 200")
        .query((rs, i) -> new Change(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5)))
        .list();
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
