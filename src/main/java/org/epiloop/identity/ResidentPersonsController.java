package org.epiloop.identity;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.QrCodes;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A resident's own persons (holder and family) and their appointment codes (R1). */
@RestController
@RequestMapping("/api/v1/resident/persons")
@PreAuthorize("hasRole('RESIDENT')")
class ResidentPersonsController {

  private final Persons persons;
  private final AppointmentCodes codes;
  private final Clock clock;

  ResidentPersonsController(Persons persons, AppointmentCodes codes, Clock clock) {
    this.persons = persons;
    this.codes = codes;
    this.clock = clock;
  }

  record NewPerson(String idType, String idNumber, String name, String districtCode) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document or name
      return "NewPerson[" + idType + ", " + districtCode + "]";
    }
  }

  record Added(UUID personId, String nameMasked, String idMasked) {}

  record PersonItem(UUID personId, IdType idType, String nameMasked, String idMasked, String districtCode) {}

  @Operation(summary = "Add the account holder or a family member")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  Added add(@RequestBody NewPerson body) {
    Persons.Document doc = Persons.Document.of(body.idType(), body.idNumber(), body.name(), clock);
    Persons.PersonView p = persons.addToAccount(Actor.current(), doc, body.districtCode());
    return new Added(p.personId(), p.nameMasked(), p.idMasked());
  }

  @Operation(summary = "The persons on this account")
  @GetMapping
  List<PersonItem> list() {
    return persons.ofAccount(Actor.current().accountId()).stream()
        .map(p -> new PersonItem(p.personId(), p.idType(), p.nameMasked(), p.idMasked(), p.districtCode()))
        .toList();
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
