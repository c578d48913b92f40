package org.epiloop.shared;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;

import java.util.Map;
import org.epiloop.platform.DatabaseAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every failure into problem JSON: client errors name the field and a stable code;
 * anything unexpected is a 500 with no internals, logged as one bounded line ({@link Failures}).
 */
@RestControllerAdvice
class ProblemHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  private final DatabaseAvailability database;

  ProblemHandler(DatabaseAvailability database) {
    this.database = database;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return Problems.response(e);
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
    var errors = e.getBindingResult().getFieldErrors();
    String field = errors.isEmpty() ? null : errors.get(0).getField();
    String detail = errors.isEmpty() ? "Invalid request" : field + ": " + errors.get(0).getDefaultMessage();
    ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", detail, field);
    p.setProperty("errors", errors.stream().map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList());
    return problem(p);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ProblemDetail> invalidParameter(HandlerMethodValidationException e) {
    String field = e.getParameterValidationResults().isEmpty() ? null
        : e.getParameterValidationResults().get(0).getMethodParameter().getParameterName();
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "Invalid value for " + field, field));
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
    String field = e.getConstraintViolations().stream().findFirst().map(v -> v.getPropertyPath().toString()).orElse(null);
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "Invalid value for " + field, field));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
    String field = null;
    if (e.getCause() instanceof DatabindException de && !de.getPath().isEmpty()) {
      field = jsonPath(de);
    }
    if (e.getCause() instanceof StrictJson.ForbiddenText) {
      return Problems.response(TextInput.refused(field));
    }
    String detail = field == null ? "The request body is missing or is not valid JSON" : "Invalid value for " + field;
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", detail, field));
  }

  /** {@code persons[0].idType}: property names joined by dots, list indexes in brackets. */
  private static String jsonPath(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e) {
    String code = "Idempotency-Key".equalsIgnoreCase(e.getHeaderName()) ? "IDEMPOTENCY_KEY_REQUIRED" : "HEADER_REQUIRED";
    return problem(Problems.of(HttpStatus.BAD_REQUEST, code, "Header " + e.getHeaderName() + " is required", e.getHeaderName()));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "FIELD_REQUIRED", "Parameter " + e.getParameterName() + " is required", e.getParameterName()));
  }

  /** A path variable that converts to nothing, such as a blank UUID ({@code /persons/%20/results}). */
  @ExceptionHandler(MissingPathVariableException.class)
  ResponseEntity<ProblemDetail> missingPathVariable(MissingPathVariableException e) {
    if (!e.isMissingAfterConversion()) {
      return unexpected(e); // a mapping that does not declare its variable: our bug
    }
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", "Invalid value for " + e.getVariableName(),
        e.getVariableName()));
  }

  /** The security firewall refused a header or parameter only when it was read, inside a controller. */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "REQUEST_REJECTED", "The request was rejected as malformed", null));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", "Invalid value for " + e.getName(), e.getName()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Send " + e.getSupportedMediaTypes(), null));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return problem(Problems.of(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "Cannot produce the requested media type", null));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
    return problem(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMethod() + " is not allowed here", null));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
    return problem(Problems.of(HttpStatus.NOT_FOUND, "NOT_FOUND", "No such resource", null));
  }

  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
    return problem(Problems.of(HttpStatus.FORBIDDEN, "FORBIDDEN", "Your role may not do this", null));
  }

  /**
   * The client went away from a long-lived response (a closed event stream, a screen switched
   * off): there is nobody to answer and nothing went wrong.
   */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  void gone(AsyncRequestNotUsableException e, HttpServletResponse response) {
    // taking the response marks the request handled: no body, no log line
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (DatabaseAvailability.isOutage(e)) {
      return databaseUnavailable(e);
    }
    Failures.log(e);
    return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged", null));
  }

  /**
   * The database could not be reached, or the connection broke — possibly during the commit,
   * whose outcome is then unknown: 503 and Retry-After, so that the terminal sends the same
   * request again with the same Idempotency-Key, which replays what was committed or does it
   * afresh. Logged in one line: during an outage every request fails the same way.
   */
  private ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
    database.connectionFailed();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    log.warn("Database unavailable: {} caused by {}", e.getClass().getName(), root.getClass().getName());
    return Problems.response(DATABASE_UNAVAILABLE);
  }

  /** The answer while the database cannot be reached: here and where a filter met the outage. */
  static final ApiException DATABASE_UNAVAILABLE = new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE",
      "The database is unavailable; send the same request again (with the same Idempotency-Key) shortly", null,
      DatabaseAvailability.RETRY_AFTER);

  private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

}
