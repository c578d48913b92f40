package org.epiloop.recognition;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.epiloop.platform.DatabaseAvailability;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.ErrorFormats;
import org.epiloop.shared.Failures;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error under {@code /fhir/} as an OperationOutcome, not problem JSON: a FHIR client reads
 * OperationOutcome only. Runs before the problem handler (highest precedence) and leaves every
 * other path to it; the security filters' 401/403 come here through {@link ErrorFormats}.
 */
@Component
class FhirErrors implements HandlerExceptionResolver, Ordered, ErrorFormats {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public boolean handles(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/fhir") || path.startsWith("/fhir/");
  }

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
    if (!handles(request)) {
      return null;
    }
    try {
      if (e instanceof FhirProblem p) {
        write(response, p.status(), p.outcome());
      } else if (e instanceof ApiException a) {
        write(response, a.status(), a.code(), a.getMessage());
      } else if (e instanceof AccessDeniedException) {
        write(response, HttpStatus.FORBIDDEN, "FORBIDDEN", "Your role may not do this");
      } else if (e instanceof HttpMediaTypeNotSupportedException) {
        write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Send application/fhir+json");
      } else if (e instanceof HttpMediaTypeNotAcceptableException) {
        write(response, HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "Answers are application/fhir+json");
      } else if (e instanceof HttpRequestMethodNotSupportedException) {
        write(response, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "This method is not supported here");
      } else if (e instanceof MissingServletRequestParameterException m) {
        write(response, HttpStatus.BAD_REQUEST, "FIELD_REQUIRED", m.getParameterName() + " is required");
      } else if (e instanceof MethodArgumentTypeMismatchException m) {
        write(response, HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", m.getName() + " is not valid");
      } else if (e instanceof org.springframework.web.bind.ServletRequestBindingException) {
        // a path variable or parameter that is blank (/fhir/DiagnosticReport/%20)
        write(response, HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", "A parameter of the request is missing or blank");
      } else if (e instanceof HttpMessageNotReadableException) {
        write(response, HttpStatus.BAD_REQUEST, "FHIR_MALFORMED", "The request body could not be read");
      } else if (e instanceof NoResourceFoundException) {
        write(response, HttpStatus.NOT_FOUND, "NOT_FOUND", "No such FHIR endpoint");
      } else if (DatabaseAvailability.isOutage(e)) {
        response.setHeader("Retry-After", "5");
        write(response, HttpStatus.SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE", "The system is briefly unavailable; try again");
      } else {
        Failures.log(e);
        write(response, HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged");
      }
    } catch (IOException io) {
      return null;
    }
    return new ModelAndView();
  }

  @Override
  public void write(HttpServletResponse response, HttpStatus status, String code, String detail) throws IOException {
    write(response, status, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR, type(status), code, null, detail));
  }

  private static void write(HttpServletResponse response, HttpStatus status, OperationOutcome outcome) throws IOException {
    if (status == HttpStatus.TOO_MANY_REQUESTS && response.getHeader("Retry-After") == null) {
      response.setHeader("Retry-After", "60");
    }
    response.setStatus(status.value());
    response.setContentType(Fhir.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(Fhir.json(outcome));
    response.flushBuffer();
  }

  private static OperationOutcome.IssueType type(HttpStatus status) {
    return switch (status) {
      case UNAUTHORIZED -> OperationOutcome.IssueType.LOGIN;
      case FORBIDDEN -> OperationOutcome.IssueType.FORBIDDEN;
      case NOT_FOUND -> OperationOutcome.IssueType.NOTFOUND;
      case TOO_MANY_REQUESTS -> OperationOutcome.IssueType.THROTTLED;
      case CONFLICT -> OperationOutcome.IssueType.CONFLICT;
      case SERVICE_UNAVAILABLE -> OperationOutcome.IssueType.TRANSIENT;
      case INTERNAL_SERVER_ERROR -> OperationOutcome.IssueType.EXCEPTION;
      default -> status.is4xxClientError() ? OperationOutcome.IssueType.INVALID : OperationOutcome.IssueType.PROCESSING;
    };
  }
}
