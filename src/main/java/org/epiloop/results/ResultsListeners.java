package org.epiloop.results;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.identity.Persons;
import org.epiloop.lab.RunReleased;
import org.epiloop.messaging.SmsGateway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Moves results forward by events. Each listener runs after the publishing transaction
 * commits, in its own transaction; Spring Modulith's JDBC registry keeps the publication
 * until the listener completes, so a crash or failure leaves it to be resubmitted (on restart
 * or by the retry job) rather than lost. Both handlers are idempotent.
 */
@Component
class ResultsListeners {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

  private final PersonResults results;
  private final Recalls recalls;
  private final Persons persons;
  private final SmsGateway sms;
  private final JdbcClient jdbc;

  ResultsListeners(PersonResults results, Recalls recalls, Persons persons, SmsGateway sms, JdbcClient jdbc) {
    this.results = results;
    this.recalls = recalls;
    this.persons = persons;
    this.sms = sms;
    this.jdbc = jdbc;
  }

  @ApplicationModuleListener
  void on(RunReleased run) {
    results.publish(run);
  }

  @ApplicationModuleListener
  void on(org.epiloop.lab.TubesLost lost) {
    results.publishLost(lost);
  }

  /** Tells each recalled person (or the family's phones) where and when to come for the retest (L5), once. */
  @ApplicationModuleListener
  void on(RecallsOpened opened) {
    recalls.notify(opened.bindingIds());
  }

  /**
   * Tells each person that their result is out (P1): on their own phone, else on their holders'
   * phones (ADR 0014). Results that recall the person (RECALLED, RETEST) are told by the recall
   * notice instead, which names the site.
   */
  @ApplicationModuleListener
  void on(ResultPublished published) {
    record Line(UUID person, String status, java.time.Instant sampledAt) {}
    List<Line> lines = published.runId() != null
        ? jdbc.sql("select person_id, status, sampled_at from person_results where run_id = ?").param(published.runId())
            .query((rs, i) -> new Line(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, java.time.OffsetDateTime.class).toInstant()))
            .list()
        : jdbc.sql("select person_id, status, sampled_at from person_results where run_id is null and person_id = any(?) and status = 'RETEST'")
            .param(published.personIds().toArray(UUID[]::new))
            .query((rs, i) -> new Line(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, java.time.OffsetDateTime.class).toInstant()))
            .list();
    Map<UUID, List<Persons.Recipient>> recipients = persons.recipients(lines.stream().map(Line::person).distinct().toList());
    Map<UUID, Persons.PersonView> views = persons.views(recipients.keySet());
    for (Line l : lines) {
      if (RECALLING.contains(l.status())) {
        continue;
      }
      for (Persons.Recipient to : recipients.getOrDefault(l.person(), List.of())) {
        if (to.mayHearOf(l.sampledAt())) {
          sms.send(to.phone(), "Epiloop: the result of " + views.get(l.person()).nameMasked() + "'s sample of "
              + WHEN.format(l.sampledAt()) + " is out: " + text(l.status()) + ". Details in the Epiloop resident page.");
        }
      }
    }
  }

  /**
   * Tells the person (or the family's phones) that a released result was corrected, with the
   * new value: they may have acted on the old one.
   */
  @ApplicationModuleListener
  void on(ResultAmended amended) {
    Map<UUID, List<Persons.Recipient>> recipients = persons.recipients(List.of(amended.personId()));
    Persons.PersonView view = persons.views(List.of(amended.personId())).get(amended.personId());
    java.time.Instant sampledAt = jdbc.sql("select sampled_at from person_results where binding_id = ?").param(amended.bindingId())
        .query(java.time.OffsetDateTime.class).single().toInstant();
    for (Persons.Recipient to : recipients.getOrDefault(amended.personId(), List.of())) {
      if (to.mayHearOf(sampledAt)) {
        sms.send(to.phone(), "Epiloop: the lab corrected the result of " + (view == null ? "your" : view.nameMasked() + "'s")
            + " sample of " + WHEN.format(sampledAt) + ": it is now " + amendedText(amended.to())
            + ". Details in the Epiloop resident page.");
      }
    }
  }

  private static String amendedText(ResultStatus status) {
    return switch (status) {
      case RECALLED, RETEST -> "to be retested — please come for a new sample";
      default -> text(status.name());
    };
  }

  private static final java.util.Set<String> RECALLING = java.util.Set.of(ResultStatus.RECALLED.name(), ResultStatus.RETEST.name());

  private static String text(String status) {
    return switch (status) {
      case "NEGATIVE" -> "negative";
      case "POSITIVE" -> "positive — health officials will contact you";
      default -> status.toLowerCase(java.util.Locale.ROOT); // results that recall are told by the recall notice
    };
  }
}
