package org.epiloop.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests: real requests to the running server, JSON in and out.
 * {@code as(token)} returns a client that sends that bearer token.
 */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public Api as(String bearer) {
    return new Api(base, bearer);
  }

  public Api anonymous() {
    return new Api(base, null);
  }

  public String base() {
    return base;
  }

  /** The bearer token this client sends, or null. */
  public String token() {
    return token;
  }

  /** A response: status, headers and the body parsed as JSON when it is JSON. */
  public record Res(int status, String contentType, String text, byte[] bytes, java.net.http.HttpHeaders headers) {
    /** The first value of a response header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      return JSON.readTree(text);
    }

    public String code() {
      return json().path("code").asString();
    }

    public String str(String field) {
      return json().path(field).asString();
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  public Res get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), null);
  }

  /**
   * A GET that may answer with an endless event stream: the status and headers, and the body only
   * when it is not {@code text/event-stream} (a stream is closed unread).
   */
  public Res open(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      String ct = r.headers().firstValue("Content-Type").orElse("");
      try (java.io.InputStream in = r.body()) {
        byte[] body = ct.startsWith("text/event-stream") ? new byte[0] : in.readAllBytes();
        return new Res(r.statusCode(), ct, new String(body, java.nio.charset.StandardCharsets.UTF_8), body, r.headers());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Res delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE(), null);
  }

  public Res post(String path, Object body) {
    return post(path, body, Map.of());
  }

  public Res post(String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return send(b, null);
  }

  public Res put(String path, Object body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json"), null);
  }

  public Res postRaw(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", contentType), null);
  }

  /** POST with a fresh Idempotency-Key. */
  public Res scan(String path, Object body) {
    return post(path, body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  /** POST with the given Idempotency-Key. */
  public Res scan(String path, Object body, String key) {
    return post(path, body, Map.of("Idempotency-Key", key));
  }

  private Res send(HttpRequest.Builder b, Object unused) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
      String ct = r.headers().firstValue("Content-Type").orElse("");
      return new Res(r.statusCode(), ct, new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), r.body(), r.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  /** Builds a JSON object from alternating keys and values; null values are left out. */
  public static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }
}
