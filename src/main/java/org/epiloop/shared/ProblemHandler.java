package org.epiloop.shared;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
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
 * anything unexpected is a 500 with no internals (logged without request data).
 */
@RestControllerAdvice
class ProblemHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

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
      field = de.getPath().stream()
          .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
          .reduce((a, b) -> a + "." + b).orElse(null);
    }
    String detail = field == null ? "The request body is missing or is not valid JSON" : "Invalid value for " + field;
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", detail, field));
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
    // The exception type and stack only: messages may quote request values.
    log.error("Unexpected failure: {}", e.getClass().getName(), withoutMessage(e));
    return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged", null));
  }

  private static Throwable withoutMessage(Throwable e) {
    Throwable copy = new Throwable(e.getClass().getName());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private static ResponseEntity<ProblemDetail> problem(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

}
