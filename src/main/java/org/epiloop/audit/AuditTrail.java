package org.epiloop.audit;

import java.time.Clock;
import java.util.List;
import org.epiloop.shared.Actor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Appends audit records in the caller's transaction, so that an audited change and its
 * record commit or roll back together.
 */
@Component
public class AuditTrail {

  private final JdbcClient jdbc;
  private final Clock clock;

  AuditTrail(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records an action.
   *
   * @param actor who acted
   * @param action what was done, upper-case ({@code PERSON_READ}, {@code BINDING_REMOVED})
   * @param subjectType the kind of record touched ({@code person}, {@code tube})
   * @param subjectId its id or code — never an ID number, name or phone
   * @param detail why, or what changed — never personal data in clear
   */
  public void record(Actor actor, String action, String subjectType, String subjectId, String detail) {
    jdbc.sql("""
            insert into audit_log (at, actor, actor_role, action, subject_type, subject_id, detail)
            values (?, ?, ?, ?, ?, ?, ?)""")
        .params(clock.instant().atOffset(java.time.ZoneOffset.UTC), actor.name(), actor.role().name(),
            action, subjectType, subjectId, detail)
        .update();
  }

  /** The trail of one subject, oldest first. */
  public List<Entry> of(String subjectType, String subjectId) {
    return jdbc.sql("""
            select at, actor, actor_role, action, detail from audit_log
            where subject_type = ? and subject_id = ? order by id""")
        .params(subjectType, subjectId)
        .query((rs, n) -> new Entry(rs.getObject("at", java.time.OffsetDateTime.class), rs.getString("actor"),
            rs.getString("actor_role"), rs.getString("action"), rs.getString("detail")))
        .list();
  }

  /** One audit record. */
  public record Entry(java.time.OffsetDateTime at, String actor, String role, String action, String detail) {}
}
