package org.epiloop.shared;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.io.JsonStringEncoder;

/** Builds RFC 9457 problem responses with Epiloop's stable {@code code} property. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(HttpStatus status, String code, String detail, String field) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(status.getReasonPhrase());
    p.setType(URI.create("https://epiloop.org/problems/" + code.toLowerCase().replace('_', '-')));
    p.setProperty("code", code);
    if (field != null) {
      p.setProperty("field", field);
    }
    return p;
  }

  public static ResponseEntity<ProblemDetail> response(ApiException e) {
    ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (e.retryAfter() != null) {
      // whole seconds, rounded up: a client that waits exactly this long is let through
      b.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
    }
    return b.body(of(e.status(), e.code(), e.getMessage(), e.field()));
  }

  /** Writes a problem directly, for filters that run before Spring MVC. */
  public static void write(HttpServletResponse response, HttpStatus status, String code, String detail)
      throws IOException {
    write(response, status, code, detail, null);
  }

  /** Writes a problem naming the field at fault, for filters and valves that run before Spring MVC. */
  public static void write(HttpServletResponse response, HttpStatus status, String code, String detail, String field)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    StringBuilder json = new StringBuilder("{\"type\":\"https://epiloop.org/problems/")
        .append(code.toLowerCase().replace('_', '-')).append("\",\"title\":");
    quoted(json, status.getReasonPhrase()).append(",\"status\":").append(status.value()).append(",\"detail\":");
    quoted(json, detail).append(",\"code\":");
    quoted(json, code);
    if (field != null) {
      quoted(json.append(",\"field\":"), field);
    }
    response.getWriter().write(json.append('}').toString());
  }

  private static StringBuilder quoted(StringBuilder json, String text) {
    json.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, json);
    return json.append('"');
  }
}
