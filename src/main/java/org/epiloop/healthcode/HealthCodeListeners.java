package org.epiloop.healthcode;

import org.epiloop.results.ResultPublished;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Marks codes stale when something they depend on changes; they are recomputed on the next read. */
@Component
class HealthCodeListeners {

  private final HealthCodes codes;

  HealthCodeListeners(HealthCodes codes) {
    this.codes = codes;
  }

  @ApplicationModuleListener
  void on(ResultPublished published) {
    codes.markStale(published.personIds());
  }
}
