package org.epiloop.simulator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thin, thread-safe client for the Epiloop HTTP API v1 (JSON over HTTP/1.1, bearer tokens,
 * RFC 9457 problem responses with a {@code code}). It knows nothing of the server's internals.
 */
public final class EpiloopClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;

  public EpiloopClient(URI base, Duration connectTimeout, Duration requestTimeout) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public URI base() {
    return base;
  }

  /**
   * POSTs a JSON body. Never throws for HTTP or transport failures: those come back as the response
   * (status 0 for transport failures), so load generators can count them.
   */
  public ApiResponse post(String path, String token, Object body, Map<String, String> headers) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise request body", e);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, application/problem+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    headers.forEach(rb::header);
    return send(rb.build());
  }

  public ApiResponse post(String path, String token, Object body) {
    return post(path, token, body, Map.of());
  }

  /**
   * POSTs a body that is not JSON (an instrument's {@code text/csv} export, say) with this content
   * type. Never throws for HTTP or transport failures, like {@link #post(String, String, Object, Map)}.
   */
  public ApiResponse postText(String path, String token, String contentType, String body) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(requestTimeout)
        .header("Content-Type", contentType)
        .header("Accept", "application/json, application/problem+json")
        .POST(HttpRequest.BodyPublishers.ofString(body, java.nio.charset.StandardCharsets.UTF_8));
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    return send(rb.build());
  }

  /** PUTs a JSON body (setting a value). Never throws for HTTP or transport failures. */
  public ApiResponse put(String path, String token, Object body) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise request body", e);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, application/problem+json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(json));
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    return send(rb.build());
  }

  /** GETs a JSON resource. Never throws for HTTP or transport failures. */
  public ApiResponse get(String path, String token) {
    return send(getRequest(path, token));
  }

  private HttpRequest getRequest(String path, String token) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json, application/problem+json")
        .GET();
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    return rb.build();
  }

  /**
   * Reads a 2xx answer's body from a streaming JSON parser, token by token, without holding the
   * whole body. An {@link IOException} other than a JSON syntax error counts as a transport
   * failure (the connection broke mid-body).
   */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(JsonParser body) throws IOException;
  }

  /** An answer whose 2xx body went through a {@link BodyReader}: the response (body missing) and what the reader returned. */
  public record Streamed<T>(ApiResponse response, T value) {}

  /**
   * GETs a JSON resource and hands a 2xx body to {@code reader} as a stream, for answers too large
   * to hold as a tree (a tracing list of 100,000 contacts). Other answers come back as from
   * {@link #get(String, String)}, parsed (a problem document is small). Never throws for HTTP or
   * transport failures; a 2xx body that is not JSON comes back with code {@code INVALID_JSON} and
   * a null value.
   */
  public <T> Streamed<T> getStreaming(String path, String token, BodyReader<T> reader) {
    HttpResponse<InputStream> r;
    try {
      r = http.send(getRequest(path, token), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return new Streamed<>(ApiResponse.transportFailure(e), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Streamed<>(ApiResponse.transportFailure(e), null);
    }
    int status = r.statusCode();
    try (InputStream in = r.body()) {
      if (status < 200 || status >= 300) {
        return new Streamed<>(response(status, in.readAllBytes()), null);
      }
      try (JsonParser parser = JSON.getFactory().createParser(in)) {
        return new Streamed<>(new ApiResponse(status, MissingNode.getInstance(), null, null), reader.read(parser));
      } catch (JsonProcessingException e) {
        return new Streamed<>(new ApiResponse(status, MissingNode.getInstance(), "INVALID_JSON", e.getOriginalMessage()), null);
      }
    } catch (IOException e) {
      return new Streamed<>(ApiResponse.transportFailure(e), null);
    }
  }

  private ApiResponse send(HttpRequest request) {
    HttpResponse<byte[]> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return ApiResponse.transportFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ApiResponse.transportFailure(e);
    }
    return response(r.statusCode(), r.body());
  }

  /** The status and the body parsed as JSON (missing if empty or not JSON), with the problem code and detail of an error. */
  private static ApiResponse response(int status, byte[] bytes) {
    JsonNode node = MissingNode.getInstance();
    if (bytes != null && bytes.length > 0) {
      try {
        node = JSON.readTree(bytes);
      } catch (IOException e) {
        node = MissingNode.getInstance(); // not JSON (an HTML error page, say): keep the status
      }
    }
    String code = null;
    String detail = null;
    if (status >= 400) {
      JsonNode c = node.get("code");
      code = c == null || c.isNull() ? null : c.asText();
      JsonNode d = node.get("detail");
      detail = d == null || d.isNull() ? null : d.asText();
    }
    return new ApiResponse(status, node, code, detail);
  }

  /**
   * POST /api/v1/auth/token; the access token, or an {@link ApiException}. When the server asks
   * for the second factor (ADMIN accounts: 401 TOTP_REQUIRED), the one-time code is computed
   * from {@link SecondFactor#adminSecret()}; a code already used in this 30-second step (two
   * logins of one run) is refused, so the login waits for the next step and tries once more.
   */
  public String login(String username, String password) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    ApiResponse r = post("/api/v1/auth/token", null, body);
    if ("TOTP_REQUIRED".equals(r.code()) && SecondFactor.adminSecret() != null) {
      body.put("totp", SecondFactor.code(SecondFactor.adminSecret(), java.time.Instant.now()));
      r = post("/api/v1/auth/token", null, body);
      if ("INVALID_TOTP".equals(r.code())) {
        body.put("totp", SecondFactor.code(SecondFactor.adminSecret(), SecondFactor.awaitNextStep()));
        r = post("/api/v1/auth/token", null, body);
      }
    }
    if (r.status() != 200 || r.text("accessToken") == null) {
      throw new ApiException("POST /api/v1/auth/token (" + username + ")", r);
    }
    return r.text("accessToken");
  }

  /** POSTs and insists on a 2xx answer (for setup calls). */
  public ApiResponse create(String path, String token, Map<String, Object> body) {
    ApiResponse r = post(path, token, body);
    if (!r.is2xx()) {
      throw new ApiException("POST " + path + " " + body.getOrDefault("code", body.getOrDefault("username", "")), r);
    }
    return r;
  }
}
