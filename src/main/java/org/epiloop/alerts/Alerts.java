package org.epiloop.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.transport.TransportBoxes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Raises, lists and moves alerts. Raising the same kind and subject twice keeps the first. A
 * stored alert is OPEN, then ACKNOWLEDGED, then RESOLVED ({@link AlertState}); each step names
 * the official and their note and is audited. Every new alert and every step is also announced
 * on the database channel {@value #CHANNEL} (NOTIFY is delivered when the transaction commits,
 * to every copy of the application), which feeds the command screens' live stream.
 */
@Service
public class Alerts {

  /** The PostgreSQL channel that carries the id of an alert that was raised or moved. */
  static final String CHANNEL = "epiloop_alerts";
  /** Longest note an official may write on an alert. */
  static final int MAX_NOTE = 500;

  /**
   * One alert as officials see it; never personal data. Computed alerts (overdue boxes, lab
   * backlogs, slow sites) have no id and are always OPEN: they clear themselves when their cause
   * goes away, so there is nothing to acknowledge.
   */
  public record Alert(String kind, String subject, Instant since, String detail, Long id, AlertState state,
      String acknowledgedBy, Instant acknowledgedAt, String acknowledgeNote, String resolvedBy, Instant resolvedAt,
      String resolveNote) {

    /** A computed alert. */
    public Alert(String kind, String subject, Instant since, String detail) {
      this(kind, subject, since, detail, null, AlertState.OPEN, null, null, null, null, null, null);
    }
  }

  private static final String COLUMNS = """
      kind, subject, raised_at, detail, id, state, acknowledged_by, acknowledged_at, acknowledge_note, resolved_by,
      resolved_at, resolve_note""";

  private final JdbcClient jdbc;
  private final TransportBoxes boxes;
  private final List<AlertSource> sources;
  private final AuditTrail audit;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Alerts(JdbcClient jdbc, TransportBoxes boxes, List<AlertSource> sources, AuditTrail audit, ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.boxes = boxes;
    this.sources = sources;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Raises an alert in the caller's transaction (once per kind and subject). The first raising
   * publishes {@link AlertRaised} and notifies the live screens when the caller commits.
   */
  @Transactional
  public void raise(String kind, String subject, String detail) {
    Instant now = clock.instant();
    Optional<Long> id = jdbc.sql("""
            insert into alerts (kind, subject, detail, raised_at) values (?, ?, ?, ?)
            on conflict (kind, subject) do nothing returning id""")
        .params(kind, subject, detail, now.atOffset(ZoneOffset.UTC)).query(Long.class).optional();
    if (id.isPresent()) {
      notifyScreens(id.get());
      events.publishEvent(new AlertRaised(id.get(), kind, subject, detail, now));
    }
  }

  /**
   * Unresolved alerts, newest first: stored ones (open or acknowledged), overdue boxes, and what
   * every {@link AlertSource} reports.
   */
  @Transactional(readOnly = true)
  public List<Alert> open() {
    List<Alert> out = new ArrayList<>(jdbc.sql("select " + COLUMNS + " from alerts where resolved_at is null order by raised_at desc limit 500")
        .query((rs, i) -> alert(rs))
        .list());
    for (TransportBoxes.Overdue o : boxes.overdue()) {
      out.add(new Alert("BOX_OVERDUE", o.boxCode(), o.firstSampledAt(),
          "Box " + o.boxCode() + " from site " + o.siteCode() + " is " + o.status() + " with " + o.tubeCount()
              + " tubes, " + o.minutesSinceFirstSample() + " minutes after its first sample"));
    }
    for (AlertSource source : sources) {
      out.addAll(source.current());
    }
    out.sort(Comparator.comparing(Alert::since).reversed());
    return out;
  }

  /** One stored alert, in any state. */
  @Transactional(readOnly = true)
  public Optional<Alert> find(long id) {
    return jdbc.sql("select " + COLUMNS + " from alerts where id = ?").param(id).query((rs, i) -> alert(rs)).optional();
  }

  /** An official takes an open alert: OPEN → ACKNOWLEDGED, with a note; audited. */
  @Transactional
  public Alert acknowledge(Actor official, long id, String note) {
    String text = note(note);
    return move(official, id, AlertState.ACKNOWLEDGED,
        "acknowledged_at = :at, acknowledged_by = :by, acknowledge_note = :note", text);
  }

  /** An official closes an acknowledged alert: ACKNOWLEDGED → RESOLVED, with a note; audited. */
  @Transactional
  public Alert resolve(Actor official, long id, String note) {
    String text = note(note);
    return move(official, id, AlertState.RESOLVED, "resolved_at = :at, resolved_by = :by, resolve_note = :note", text);
  }

  private Alert move(Actor official, long id, AlertState to, String assignments, String note) {
    // the guarded update decides under concurrency: of two officials acting at once, one moves it
    int moved = jdbc.sql("update alerts set state = :to, " + assignments + " where id = :id and state = :from")
        .param("to", to.name()).param("from", to.previous().name()).param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("by", official.name())
        .param("note", note).param("id", id).update();
    Alert now = find(id).orElseThrow(() -> ApiException.notFound("ALERT_NOT_FOUND", "No stored alert " + id));
    if (moved == 0) {
      // each refusal its own literal code, so that ProblemCode (and the pages' words) list them
      throw switch (now.state()) {
        case RESOLVED -> ApiException.conflict("ALERT_ALREADY_RESOLVED", "The alert is already resolved by " + now.resolvedBy());
        case ACKNOWLEDGED -> ApiException.conflict("ALERT_ALREADY_ACKNOWLEDGED", "The alert is already acknowledged by "
            + now.acknowledgedBy());
        case OPEN -> ApiException.conflict("ALERT_NOT_ACKNOWLEDGED", "Acknowledge the alert before resolving it");
      };
    }
    audit.record(official, "ALERT_" + to.name(), "alert", String.valueOf(id), now.kind() + " " + now.subject() + ": " + note);
    notifyScreens(id);
    return now;
  }

  /**
   * Closes a stored alert whose cause went away by itself (a room back in range, a sensor
   * reporting again): OPEN or ACKNOWLEDGED → RESOLVED by {@code system} with the note, in the
   * caller's transaction. Nothing happens when there is no such alert or it is resolved already.
   */
  @Transactional
  public void clear(String kind, String subject, String note) {
    jdbc.sql("""
            update alerts set state = 'RESOLVED', resolved_at = :at, resolved_by = 'system', resolve_note = :note
            where kind = :kind and subject = :subject and state <> 'RESOLVED' returning id""")
        .param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("note", note).param("kind", kind).param("subject", subject)
        .query(Long.class).list().forEach(this::notifyScreens);
  }

  /** Marks the alert as paged (in the caller's transaction); false when it was paged before. */
  @Transactional
  boolean claimPaging(long id) {
    return jdbc.sql("update alerts set duty_paged_at = ? where id = ? and duty_paged_at is null")
        .params(clock.instant().atOffset(ZoneOffset.UTC), id).update() == 1;
  }

  private void notifyScreens(long id) {
    jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, String.valueOf(id)).query((rs, i) -> 1).list();
  }

  private static String note(String raw) {
    String text = ApiException.required("note", raw);
    if (text.length() > MAX_NOTE || text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
      throw ApiException.badRequest("INVALID_NOTE", "note", "note must be 1–" + MAX_NOTE + " printable characters");
    }
    return text;
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4), rs.getLong(5),
        AlertState.valueOf(rs.getString(6)), rs.getString(7), instant(rs, 8), rs.getString(9), rs.getString(10),
        instant(rs, 11), rs.getString(12));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
