package org.epiloop.recognition;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The FHIR endpoints (ADR 0025): a partner posts bundles of outside results; officials and
 * partners read DiagnosticReports. Bodies are FHIR JSON written and read by HAPI; refusals are
 * OperationOutcomes ({@link FhirErrors}).
 */
@RestController
class FhirController {

  private final InboundBundles inbound;
  private final ReportReads reads;

  FhirController(InboundBundles inbound, ReportReads reads) {
    this.inbound = inbound;
    this.reads = reads;
  }

  @Operation(summary = "Results of outside labs as a FHIR R4 transaction or collection Bundle (PARTNER): validated, stored once "
      + "per sender identifier; answers a transaction-response Bundle, or an OperationOutcome naming the problem")
  @PostMapping(value = "/fhir/Bundle", consumes = {Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE}, produces = Fhir.MEDIA_TYPE)
  @PreAuthorize("hasRole('PARTNER')")
  ResponseEntity<String> receive(@RequestBody(required = false) String body) {
    List<InboundBundles.Outcome> outcomes = inbound.accept(Actor.current(), body);
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    for (InboundBundles.Outcome o : outcomes) {
      response.addEntry().getResponse().setStatus(o.created() ? "201 Created" : "200 OK")
          .setLocation("DiagnosticReport/" + o.resultId());
    }
    return fhir(HttpStatus.OK, Fhir.json(response));
  }

  @Operation(summary = "Released results of a person as a searchset of DiagnosticReports (OFFICIAL: the city; PARTNER: persons "
      + "whose results it sent); audited, rate-limited")
  @GetMapping(value = "/fhir/DiagnosticReport", produces = Fhir.MEDIA_TYPE)
  @PreAuthorize("hasAnyRole('OFFICIAL','PARTNER')")
  ResponseEntity<String> search(@Parameter(description = "urn:epiloop:id:<document type>|<number>")
      @RequestParam(name = "patient.identifier") String patientIdentifier) {
    return fhir(HttpStatus.OK, Fhir.json(reads.search(Actor.current(), patientIdentifier)));
  }

  @Operation(summary = "One released result as a DiagnosticReport (OFFICIAL; PARTNER within its scope); audited, rate-limited")
  @GetMapping(value = "/fhir/DiagnosticReport/{id}", produces = Fhir.MEDIA_TYPE)
  @PreAuthorize("hasAnyRole('OFFICIAL','PARTNER')")
  ResponseEntity<String> read(@PathVariable UUID id) {
    return fhir(HttpStatus.OK, Fhir.json(reads.read(Actor.current(), id)));
  }

  static ResponseEntity<String> fhir(HttpStatus status, String json) {
    return ResponseEntity.status(status).contentType(MediaType.parseMediaType(Fhir.MEDIA_TYPE + ";charset=UTF-8")).body(json);
  }
}
