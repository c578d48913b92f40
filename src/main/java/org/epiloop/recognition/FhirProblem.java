package org.epiloop.recognition;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.HttpStatus;

/** A refusal on a FHIR endpoint: the status and the OperationOutcome that names the problem. */
class FhirProblem extends RuntimeException {

  private final HttpStatus status;
  private final transient OperationOutcome outcome;

  FhirProblem(HttpStatus status, OperationOutcome outcome) {
    super(outcome.getIssueFirstRep().getDiagnostics());
    this.status = status;
    this.outcome = outcome;
  }

  /** 422 FHIR_INVALID: the bundle breaks the profile at {@code expression}. */
  static FhirProblem invalid(String expression, String text) {
    return new FhirProblem(HttpStatus.UNPROCESSABLE_CONTENT, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR,
        OperationOutcome.IssueType.INVALID, "FHIR_INVALID", expression, text));
  }

  HttpStatus status() {
    return status;
  }

  OperationOutcome outcome() {
    return outcome;
  }
}
