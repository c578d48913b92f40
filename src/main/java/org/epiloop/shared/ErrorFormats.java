package org.epiloop.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * An error body other than problem JSON for some paths: the FHIR endpoints answer every refusal,
 * including the security filters' 401 and 403, with a FHIR {@code OperationOutcome} (ADR 0025).
 * The security configuration asks each such bean before writing problem JSON.
 */
public interface ErrorFormats {

  /** Whether errors of this request are written by this format. */
  boolean handles(HttpServletRequest request);

  void write(HttpServletResponse response, HttpStatus status, String code, String detail) throws IOException;
}
