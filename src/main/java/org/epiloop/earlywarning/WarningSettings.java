package org.epiloop.earlywarning;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The early-warning thresholds as run-time settings (D4, docs/adr/0035): the configured defaults,
 * overridden by what officials set (table {@code early_warning_settings}); every change kept with
 * who, when, old and new ({@code early_warning_setting_changes}) and in the audit log. The rules
 * read {@link #current()} at every evaluation, so a change holds from the next one on every copy.
 */
@Service
class WarningSettings {

  /** One setting as the officials' form shows it: its value, default and range, and its last change. */
  record Setting(String name, WarningRule rule, WarningSetting.Kind kind, String value, String defaultValue, int min, int max, String zh,
      String en, String changedBy, Instant changedAt) {}

  /** One recorded change. */
  record Change(Instant at, String changedBy, WarningRule rule, String name, String oldValue, String newValue) {}

  /** Every setting, and the recent changes, newest first. */
  record View(List<Setting> settings, List<Change> changes) {}

  private record Stored(String value, String changedBy, Instant changedAt) {}

  private final JdbcClient jdbc;
  private final AuditTrail audit;
  private final EarlyWarningProperties properties;
  private final Clock clock;

  WarningSettings(JdbcClient jdbc, AuditTrail audit, EarlyWarningProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.properties = properties;
    this.clock = clock;
  }

  /** The thresholds in force now: defaults with the stored settings laid over them. */
  Thresholds current() {
    Thresholds t = Thresholds.defaults(properties);
    for (Map.Entry<WarningSetting, Stored> e : stored().entrySet()) {
      t = t.with(e.getKey(), e.getValue().value());
    }
    return t;
  }

  @Transactional(readOnly = true)
  View view() {
    Map<WarningSetting, Stored> stored = stored();
    Map<WarningSetting, String> now = current().values();
    Map<WarningSetting, String> defaults = Thresholds.defaults(properties).values();
    List<Setting> out = new ArrayList<>();
    for (WarningSetting s : WarningSetting.values()) {
      Stored st = stored.get(s);
      out.add(new Setting(s.key(), s.rule(), s.kind(), now.get(s), defaults.get(s), s.min(), s.max(), s.zh(), s.en(),
          st == null ? null : st.changedBy(), st == null ? null : st.changedAt()));
    }
    List<Change> changes = jdbc.sql("select at, changed_by, rule, name, old_value, new_value from early_warning_setting_changes order by id desc limit 100")
        .query((rs, i) -> new Change(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), WarningRule.valueOf(rs.getString(3)),
            rs.getString(4), rs.getString(5), rs.getString(6)))
        .list();
    return new View(out, changes);
  }

  /**
   * Sets one threshold (OFFICIAL or ADMIN): 400 UNKNOWN_SETTING / INVALID_SETTING naming it;
   * recorded with who, when, old and new, and audited. Setting the value in force records nothing.
   */
  @Transactional
  // changes are serialised by an advisory lock, so each change's "old" is the value the one before it left
  View change(Actor official, String name, String value) {
    WarningSetting s = WarningSetting.named(name);
    ApiException.required("value", value);
    String canonical = s.canonical(value);
    jdbc.sql("select pg_advisory_xact_lock(hashtext('epiloop.early_warning_settings'))").query((rs, i) -> 1).list();
    String old = current().values().get(s);
    if (!old.equals(canonical)) {
      Instant now = clock.instant();
      jdbc.sql("""
              insert into early_warning_settings (name, value, changed_by, changed_at) values (?, ?, ?, ?)
              on conflict (name) do update set value = excluded.value, changed_by = excluded.changed_by, changed_at = excluded.changed_at""")
          .params(s.key(), canonical, official.name(), utc(now)).update();
      record(official, s, old, canonical, now);
    }
    return view();
  }

  /** Puts one threshold back to its configured default; recorded and audited like a change. */
  @Transactional
  View reset(Actor official, String name) {
    WarningSetting s = WarningSetting.named(name);
    jdbc.sql("select pg_advisory_xact_lock(hashtext('epiloop.early_warning_settings'))").query((rs, i) -> 1).list();
    String old = current().values().get(s);
    int removed = jdbc.sql("delete from early_warning_settings where name = ?").param(s.key()).update();
    String back = Thresholds.defaults(properties).values().get(s);
    if (removed > 0 && !old.equals(back)) {
      record(official, s, old, back, clock.instant());
    }
    return view();
  }

  private void record(Actor official, WarningSetting s, String old, String now, Instant at) {
    jdbc.sql("insert into early_warning_setting_changes (at, changed_by, rule, name, old_value, new_value) values (?, ?, ?, ?, ?, ?)")
        .params(utc(at), official.name(), s.rule().name(), s.key(), old, now).update();
    audit.record(official, "EARLY_WARNING_SETTING_CHANGED", "early_warning_setting", s.key(), s.rule().name() + ": " + old + " → " + now);
  }

  private Map<WarningSetting, Stored> stored() {
    Map<WarningSetting, Stored> m = new HashMap<>();
    jdbc.sql("select name, value, changed_by, changed_at from early_warning_settings").query((rs, i) -> {
      for (WarningSetting s : WarningSetting.values()) {
        if (s.key().equals(rs.getString(1))) {
          // stored values were checked when set; checking again keeps a hand-edited row from breaking every evaluation
          try {
            m.put(s, new Stored(s.canonical(rs.getString(2)), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant()));
          } catch (ApiException e) {
            // ignored: the default holds
          }
        }
      }
      return null;
    }).list();
    return m;
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
