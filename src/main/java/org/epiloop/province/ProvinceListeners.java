package org.epiloop.province;

import java.time.Clock;
import java.util.List;
import org.epiloop.results.AmendmentKind;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultAmended;
import org.epiloop.results.ResultPublished;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Queues what the province must receive. The events are stored by Spring Modulith's registry in
 * the releasing (or approving) transaction, and kept until these listeners complete, so a crash
 * between release and queueing loses nothing; the queue itself is idempotent (ADR 0024). Rows
 * are written whether or not delivery is switched on: a city that turns delivery on later sends
 * what it released before (the sender runs only when configured).
 */
@Component
class ProvinceListeners {

  private final PersonResults results;
  private final ProvinceOutbox outbox;
  private final Clock clock;

  ProvinceListeners(PersonResults results, ProvinceOutbox outbox, Clock clock) {
    this.results = results;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** A released run: one bundle per person result. Tubes lost before a run have no lab result to share. */
  @ApplicationModuleListener
  void on(ResultPublished published) {
    if (published.runId() == null) {
      return;
    }
    List<ProvinceOutbox.Item> items = results.releasedOfRun(published.runId()).stream()
        // a result amended before this listener ran still goes out first as it was released
        .map(r -> new ProvinceOutbox.Item(r.bindingId(), 0, ResultBundles.ReportStatus.FINAL,
            (r.revision() == 0 ? r.status() : results.releasedStatus(r.bindingId())).name(), null))
        .toList();
    outbox.enqueue(items, clock.instant());
  }

  /** An approved correction: the amended report goes through the same queue, after the original. */
  @ApplicationModuleListener
  void on(ResultAmended amended) {
    outbox.enqueue(List.of(new ProvinceOutbox.Item(amended.bindingId(), amended.revision(), reportStatus(amended.kind()),
        amended.to().name(), amended.reason())), clock.instant());
  }

  /**
   * FHIR R4's DiagnosticReport statuses: {@code corrected} is "modified to correct an error in
   * the report or referenced results", {@code amended} any later modification. A reviewer says
   * which (ADR 0024); an event stored before kinds existed is {@code amended}.
   */
  static ResultBundles.ReportStatus reportStatus(AmendmentKind kind) {
    return kind == AmendmentKind.CORRECTION ? ResultBundles.ReportStatus.CORRECTED : ResultBundles.ReportStatus.AMENDED;
  }
}
