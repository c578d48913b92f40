package org.epiloop.venue;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Confirmed cases and their tracing lists (V3), and residents' own exposure check (V4). */
@RestController
class CasesController {

  private final Cases cases;

  CasesController(Cases cases) {
    this.cases = cases;
  }

  record NewCase(String idType, String idNumber, String confirmedAt) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document number
      return "NewCase[" + idType + ", " + confirmedAt + "]";
    }
  }

  @Operation(summary = "Confirm a case by the person's document; contacts are found at once")
  @PostMapping("/api/v1/cases")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('OFFICIAL')")
  Cases.Confirmed confirm(@RequestBody NewCase body) {
    return cases.confirm(Actor.current(), body.idType(), body.idNumber(), body.confirmedAt());
  }

  @Operation(summary = "A case with its contact counts")
  @GetMapping("/api/v1/cases/{caseId}")
  @PreAuthorize("hasRole('OFFICIAL')")
  Cases.CaseView get(@PathVariable UUID caseId) {
    return cases.view(Actor.current(), caseId);
  }

  @Operation(summary = "A case's tracing list, masked; close contacts first (audited)")
  @GetMapping("/api/v1/cases/{caseId}/contacts")
  @PreAuthorize("hasRole('OFFICIAL')")
  List<Cases.ContactLine> contacts(@PathVariable UUID caseId) {
    return cases.contacts(Actor.current(), caseId);
  }

  @Operation(summary = "Whether a person on this account overlapped with a case or a close contact (密接自查), newest first")
  @GetMapping("/api/v1/resident/persons/{personId}/exposures")
  @PreAuthorize("hasRole('RESIDENT')")
  List<Cases.Exposure> exposures(@PathVariable UUID personId) {
    return cases.exposures(Actor.current(), personId);
  }
}
