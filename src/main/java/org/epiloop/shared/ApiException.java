package org.epiloop.shared;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on. Rendered as RFC 9457 problem JSON with a stable upper-case
 * {@code code} and, for bad input, the {@code field} at fault.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final String field;
  private final Duration retryAfter;

  public ApiException(HttpStatus status, String code, String detail, String field) {
    this(status, code, detail, field, null);
  }

  /** A failure worth retrying after a while: the response carries {@code Retry-After}. */
  public ApiException(HttpStatus status, String code, String detail, String field, Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  /** When to try again, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public static ApiException badRequest(String code, String field, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, detail, field);
  }

  public static ApiException unprocessable(String code, String field, String detail) {
    return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, detail, field);
  }

  public static ApiException notFound(String code, String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, code, detail, null);
  }

  public static ApiException conflict(String code, String detail) {
    return new ApiException(HttpStatus.CONFLICT, code, detail, null);
  }

  public static ApiException outOfScope(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "OUT_OF_SCOPE", detail, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", detail, null);
  }

  public static ApiException tooManyRequests(String code, String detail) {
    return new ApiException(HttpStatus.TOO_MANY_REQUESTS, code, detail, null);
  }

  public static ApiException tooManyRequests(String code, String detail, Duration retryAfter) {
    return new ApiException(HttpStatus.TOO_MANY_REQUESTS, code, detail, null, retryAfter);
  }

  /** Fails with 400 {@code FIELD_REQUIRED} when the value is null or blank. */
  public static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw badRequest("FIELD_REQUIRED", field, field + " is required");
    }
    return value.strip();
  }

  /** Fails with 400 {@code FIELD_REQUIRED} when the value is null. */
  public static <T> T required(String field, T value) {
    if (value == null) {
      throw badRequest("FIELD_REQUIRED", field, field + " is required");
    }
    return value;
  }
}
