package org.epiloop.province;

import java.time.Clock;
import java.util.List;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultAmended;
import org.epiloop.results.ResultPublished;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Queues what the province must receive. The events are stored by Spring Modulith's registry in
 * the releasing (or approving) transaction, and kept until these listeners complete, so a crash
 * between release and queueing loses nothing; the queue itself is idempotent (ADR 0024).
 */
@Component
class ProvinceListeners {

  private final ProvinceProperties properties;
  private final PersonResults results;
  private final ProvinceOutbox outbox;
  private final Clock clock;

  ProvinceListeners(ProvinceProperties properties, PersonResults results, ProvinceOutbox outbox, Clock clock) {
    this.properties = properties;
    this.results = results;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** A released run: one bundle per person result. Tubes lost before a run have no lab result to share. */
  @ApplicationModuleListener
  void on(ResultPublished published) {
    if (!properties.enabled() || published.runId() == null) {
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
    if (!properties.enabled()) {
      return;
    }
    outbox.enqueue(List.of(new ProvinceOutbox.Item(amended.bindingId(), amended.revision(), ResultBundles.ReportStatus.AMENDED,
        amended.to().name(), amended.reason())), clock.instant());
  }
}
