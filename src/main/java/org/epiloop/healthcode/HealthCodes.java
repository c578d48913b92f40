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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes and keeps each person's code. A stored code is used until it is marked stale (by an
 * event that matters: results, cases, contacts, overrides, rule changes) or until a time window
 * in one of its reasons ends; only then is it recomputed, so a read is one indexed lookup.
 */
@Service
public class HealthCodes {

  /** A reason the person can read. */
  public record Reason(String code, String text) {}

  /** A person's code at a moment. */
  public record Code(UUID personId, HealthColor color, List<Reason> reasons, Instant computedAt) {}

  private final JdbcClient jdbc;
  private final PersonResults results;
  private final org.epiloop.venue.Exposures exposures;
  private final AuditTrail audit;
  private final JsonMapper json;
  private final Clock clock;
  private final List<HealthCodeRule> rules = HealthCodeRules.defaults();

  HealthCodes(JdbcClient jdbc, PersonResults results, org.epiloop.venue.Exposures exposures, AuditTrail audit, JsonMapper json,
      Clock clock) {
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
    Instant now = clock.instant();
    record Stored(HealthColor color, String reasons, Instant computedAt, Instant validUntil) {}
    Optional<Stored> stored = jdbc.sql("select color, reasons, computed_at, valid_until from health_codes where person_id = ?").param(personId)
        .query((rs, i) -> {
          OffsetDateTime until = rs.getObject(4, OffsetDateTime.class);
          return new Stored(HealthColor.valueOf(rs.getString(1)), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
              until == null ? null : until.toInstant());
        })
        .optional();
    if (stored.isPresent() && (stored.get().validUntil() == null || stored.get().validUntil().isAfter(now))) {
      return new Code(personId, stored.get().color(), json.readValue(stored.get().reasons(), new TypeReference<List<Reason>>() {}),
          stored.get().computedAt());
    }
    return recompute(personId, now);
  }

  private Code recompute(UUID personId, Instant now) {
    HealthFacts facts = facts(personId, now);
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
      reasons.add(new Reason("NO_RISK", "无异常 No known risk"));
    }
    jdbc.sql("""
            insert into health_codes (person_id, color, reasons, computed_at, valid_until) values (?, ?, ?, ?, ?)
            on conflict (person_id) do update set color = excluded.color, reasons = excluded.reasons,
              computed_at = excluded.computed_at, valid_until = excluded.valid_until""")
        .params(personId, color.name(), json.writeValueAsString(reasons), utc(now), validUntil == null ? null : utc(validUntil))
        .update();
    return new Code(personId, color, reasons, now);
  }

  private HealthFacts facts(UUID personId, Instant now) {
    Instant confirmed = jdbc.sql("select confirmed_at from health_cases where person_id = ?").param(personId)
        .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional().orElse(null);
    List<HealthFacts.Contact> contacts = exposures.of(personId).stream()
        .map(e -> new HealthFacts.Contact(e.level(), e.exposedAt())).toList();
    HealthFacts.Override override = jdbc.sql("select color, reason, until from health_overrides where person_id = ? and until > ?")
        .params(personId, utc(now))
        .query((rs, i) -> new HealthFacts.Override(HealthColor.valueOf(rs.getString(1)), rs.getString(2),
            rs.getObject(3, OffsetDateTime.class).toInstant()))
        .optional().orElse(null);
    return new HealthFacts(confirmed, contacts, override, results.standing(personId));
  }

  /** Marks codes stale; they are recomputed on their next read. */
  @Transactional
  public void markStale(Collection<UUID> personIds) {
    if (!personIds.isEmpty()) {
      jdbc.sql("update health_codes set valid_until = ? where person_id = any(?)")
          .params(utc(clock.instant()), personIds.toArray(UUID[]::new)).update();
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
