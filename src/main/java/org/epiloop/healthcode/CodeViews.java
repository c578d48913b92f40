package org.epiloop.healthcode;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.epiloop.identity.Persons;
import org.epiloop.results.PersonResults;
import org.epiloop.shared.Actor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a resident's code page shows: colour, reasons, a fresh token, the masked name and the
 * last test. One transaction on one connection: the account check and the name in one query,
 * the stored code, the person's samplings and their results.
 */
@Service
class CodeViews {

  private final HealthCodes codes;
  private final CodeTokens tokens;
  private final Persons persons;
  private final PersonResults results;
  private final Clock clock;

  CodeViews(HealthCodes codes, CodeTokens tokens, Persons persons, PersonResults results, Clock clock) {
    this.codes = codes;
    this.tokens = tokens;
    this.persons = persons;
    this.results = results;
    this.clock = clock;
  }

  @Transactional
  HealthCodeController.CodeView view(Actor resident, UUID personId) {
    Persons.Held held = persons.held(resident, personId);
    String nameMasked = held.nameMasked();
    List<PersonResults.ResultLine> lines = results.of(personId);
    // the colour is the person's, from all their results (a gate must see it); the last test
    // shown is one the account may see (a guardian's link: since the link)
    HealthCodes.Code code = codes.currentForRead(personId, lines);
    CodeTokens.Issued token = tokens.issue(personId, code.color(), nameMasked);
    PersonResults.ResultLine shown = lines.stream().filter(l -> held.shows(l.sampledAt())).findFirst().orElse(null);
    HealthCodeController.LastTest last = shown == null ? null : new HealthCodeController.LastTest(shown.status().name(),
        shown.sampledAt(), Duration.between(shown.sampledAt(), clock.instant()).toHours());
    return new HealthCodeController.CodeView(code.color(), code.reasons(), token.token(), token.expiresAt(), nameMasked, last);
  }
}
