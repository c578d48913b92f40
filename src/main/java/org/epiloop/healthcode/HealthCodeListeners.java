package org.epiloop.healthcode;

import org.epiloop.results.ResultPublished;
import org.epiloop.venue.CaseConfirmed;
import org.epiloop.venue.ContactsFound;
import org.epiloop.venue.Exposures;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Marks codes stale when something they depend on changes; they are recomputed on the next read. */
@Component
class HealthCodeListeners {

  private final HealthCodes codes;
  private final Exposures exposures;
  private final org.epiloop.monitoring.Declarations declarations;

  HealthCodeListeners(HealthCodes codes, Exposures exposures, org.epiloop.monitoring.Declarations declarations) {
    this.codes = codes;
    this.exposures = exposures;
    this.declarations = declarations;
  }

  @ApplicationModuleListener
  void on(ResultPublished published) {
    codes.markStale(published.personIds());
  }

  /** A corrected result changes the colour it gave (issue 16 item 4). */
  @ApplicationModuleListener
  void on(org.epiloop.results.ResultAmended amended) {
    codes.markStale(java.util.List.of(amended.personId()));
  }

  @ApplicationModuleListener
  void on(CaseConfirmed confirmed) {
    codes.recordCase(confirmed.caseId(), confirmed.personId(), confirmed.confirmedAt());
  }

  @ApplicationModuleListener
  void on(org.epiloop.monitoring.DeclarationMade made) {
    codes.markStale(java.util.List.of(made.personId()));
  }

  /** A risk area reaches the arrivals made from inside it (even earlier ones, when entered late). */
  @ApplicationModuleListener
  void on(org.epiloop.monitoring.RiskAreasChanged changed) {
    codes.markStale(declarations.personsArrivedFrom(changed.prefix()));
  }

  @ApplicationModuleListener
  void on(ContactsFound found) {
    exposures.personsOf(found.caseId(), codes::markStale);
  }
}
