package org.epiloop.healthcode;

import org.epiloop.results.ResultPublished;
import org.epiloop.venue.CaseConfirmed;
import org.epiloop.venue.ContactsFound;
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

  @ApplicationModuleListener
  void on(CaseConfirmed confirmed) {
    codes.recordCase(confirmed.caseId(), confirmed.personId(), confirmed.confirmedAt());
  }

  @ApplicationModuleListener
  void on(ContactsFound found) {
    codes.recordContacts(found.caseId(), found.contacts().stream().map(ContactsFound.Contact::personId).toList(),
        found.contacts().stream().map(ContactsFound.Contact::level).toList(),
        found.contacts().stream().map(ContactsFound.Contact::exposedAt).toList());
  }
}
