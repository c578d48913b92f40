package org.epiloop.identity;

import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.QrCodes;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A resident's own persons (holder and family), linked by one-time code (ADR 0014), and their appointment codes (R1). */
@RestController
@RequestMapping("/api/v1/resident/persons")
@PreAuthorize("hasRole('RESIDENT')")
class ResidentPersonsController {

  private final Persons persons;
  private final PersonLinks links;
  private final AppointmentCodes codes;
  private final Clock clock;

  ResidentPersonsController(Persons persons, PersonLinks links, AppointmentCodes codes, Clock clock) {
    this.persons = persons;
    this.links = links;
    this.codes = codes;
    this.clock = clock;
  }

  record NewPerson(String idType, String idNumber, String name, String districtCode, String relation) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document or name
      return "NewPerson[" + idType + ", " + districtCode + ", " + relation + "]";
    }
  }

  /** The same answer to every request: nothing in it depends on who is registered under which name. */
  record LinkAnswer(UUID linkId, String status, Instant expiresAt) {}

  @Operation(summary = "Ask to add the account holder or a family member; a one-time code confirms it (ADR 0014)",
      description = "Answers 202 PENDING_CONFIRMATION in every case. The code goes by SMS to the person's own phone, else to the "
          + "phones of the accounts that already hold them; to this account's phone for a person new to Epiloop or one "
          + "registered on site without phone or holder (a guardian's link: only samplings from now on are shown); nowhere "
          + "when the name does not match. relation: SELF (the account holder; at most one) or FAMILY (default).")
  @PostMapping
  ResponseEntity<LinkAnswer> add(@RequestBody NewPerson body) {
    Persons.Document doc = Persons.Document.of(body.idType(), body.idNumber(), body.name(), clock);
    PersonLinks.Requested r = links.request(Actor.current(), doc, body.districtCode(), relation(body.relation()));
    return ResponseEntity.accepted().location(URI.create("/api/v1/resident/persons/links/" + r.linkId()))
        .body(new LinkAnswer(r.linkId(), "PENDING_CONFIRMATION", r.expiresAt()));
  }

  record Confirmation(String code) {
    @Override
    public String toString() {
      return "Confirmation[…]";
    }
  }

  record Linked(UUID personId, String nameMasked, String idMasked, String status, Relation relation, LinkRoute confirmedBy,
      Instant resultsFrom) {}

  @Operation(summary = "Confirm a link with the code texted for it; the person is then on this account")
  @PostMapping("/links/{linkId}/confirmation")
  Linked confirm(@PathVariable UUID linkId, @RequestBody Confirmation body) {
    PersonLinks.Confirmed c = links.confirm(Actor.current(), linkId, body == null ? null : body.code());
    return new Linked(c.person().personId(), c.person().nameMasked(), c.person().idMasked(), "CONFIRMED", c.relation(),
        c.confirmedBy(), c.resultsFrom());
  }

  record PendingItem(UUID linkId, String status, String nameMasked, String idMasked, Relation relation, Instant expiresAt) {}

  @Operation(summary = "This account's link requests still waiting for their code (as typed, masked)")
  @GetMapping("/links")
  List<PendingItem> pending() {
    return links.pending(Actor.current()).stream()
        .map(p -> new PendingItem(p.linkId(), "PENDING_CONFIRMATION", p.nameMasked(), p.idMasked(), p.relation(), p.expiresAt()))
        .toList();
  }

  record PersonItem(UUID personId, IdType idType, String nameMasked, String idMasked, String districtCode, Relation relation,
      String confirmedBy, Instant resultsFrom) {}

  @Operation(summary = "The persons on this account (confirmed links only)")
  @GetMapping
  List<PersonItem> list() {
    return persons.ofAccount(Actor.current().accountId()).stream()
        .map(a -> new PersonItem(a.person().personId(), a.person().idType(), a.person().nameMasked(), a.person().idMasked(),
            a.person().districtCode(), a.relation(), a.confirmedBy(), a.resultsFrom()))
        .toList();
  }

  private static Relation relation(String raw) {
    if (raw == null || raw.isBlank()) {
      return Relation.FAMILY;
    }
    try {
      return Relation.valueOf(raw.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_RELATION", "relation", "relation must be SELF or FAMILY");
    }
  }

  record Appointment(String appointmentCode, Instant expiresAt) {}

  @Operation(summary = "An appointment code for on-site registration in one scan")
  @GetMapping("/{personId}/appointment")
  Appointment appointment(@PathVariable UUID personId) {
    persons.requireHeldBy(Actor.current(), personId);
    AppointmentCodes.Code c = codes.issue(personId);
    return new Appointment(c.appointmentCode(), c.expiresAt());
  }

  @Operation(summary = "The appointment code as a QR image")
  @GetMapping(value = "/{personId}/appointment.png", produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> appointmentPng(@PathVariable UUID personId) {
    persons.requireHeldBy(Actor.current(), personId);
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG)
        .body(QrCodes.png(codes.issue(personId).appointmentCode(), 320));
  }
}
