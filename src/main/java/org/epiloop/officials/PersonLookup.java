package org.epiloop.officials;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.healthcode.HealthCodes;
import org.epiloop.healthcode.HealthColor;
import org.epiloop.identity.IdNumbers;
import org.epiloop.identity.IdType;
import org.epiloop.identity.Persons;
import org.epiloop.results.PersonResults;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An official finds one person by their document number (no name needed: a case or a caller
 * gives only the number). Every lookup is audited with the reason the official typed, found or
 * not; the answer is masked. A POST, so the number never appears in a URL.
 */
@RestController
class PersonLookup {

  /** Longest reason; the shortest is two characters (a reason, not a keystroke). */
  static final int MAX_REASON = 200;

  private final Persons persons;
  private final PersonResults results;
  private final HealthCodes codes;
  private final AuditTrail audit;
  private final Clock clock;

  PersonLookup(Persons persons, PersonResults results, HealthCodes codes, AuditTrail audit, Clock clock) {
    this.persons = persons;
    this.results = results;
    this.codes = codes;
    this.audit = audit;
    this.clock = clock;
  }

  record Request(String idType, String idNumber, String reason) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document number
      return "PersonLookup.Request[" + idType + "]";
    }
  }

  record Code(HealthColor color, List<HealthCodes.Reason> reasons) {}

  record Person(UUID personId, String nameMasked, String idMasked, String phoneMasked, String districtCode, Code healthCode,
      boolean openRecall, int samplings, List<PersonResults.ResultLine> results) {}

  @Operation(summary = "Find a person by document number for a stated reason (OFFICIAL; audited): masked identity, "
      + "health code, open recall, samplings and results, newest first")
  @PostMapping("/api/v1/officials/person-lookups")
  @PreAuthorize("hasRole('OFFICIAL')")
  @Transactional(noRollbackFor = ApiException.class) // a miss is audited: its record must survive the 404
  Person lookup(@RequestBody Request body) {
    Actor official = Actor.current();
    IdType type = IdNumbers.type("idType", body.idType());
    String number = IdNumbers.normalize(type, "idNumber", body.idNumber(),
        java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai"))));
    String reason = ApiException.required("reason", body.reason());
    if (reason.length() < 2 || reason.length() > MAX_REASON || reason.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest("INVALID_REASON", "reason", "reason must be 2–" + MAX_REASON + " printable characters");
    }
    UUID id = persons.findByDocument(type, number).orElse(null);
    if (id == null) {
      // a miss is recorded too: looking people up is what the trail watches, not only finding them
      audit.record(official, "PERSON_LOOKUP", "person", "none", "no person with this " + type + " number; reason: " + reason);
      throw ApiException.notFound("PERSON_NOT_FOUND", "No person is registered with this document");
    }
    // views: a person without a phone shows the phone of the account holding them, for the official to call
    Persons.PersonView view = persons.views(List.of(id)).get(id);
    persons.auditRead(official, id, "looked up by document; reason: " + reason);
    List<PersonResults.ResultLine> lines = results.of(id);
    PersonResults.Standing standing = results.standing(id, lines);
    HealthCodes.Code code = codes.current(id);
    return new Person(id, view.nameMasked(), view.idMasked(), view.phoneMasked(), view.districtCode(),
        new Code(code.color(), code.reasons()), standing.openRecall(), lines.size(), lines);
  }
}
