package org.epiloop.simulator.day;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;

/**
 * The day's view of the API: every exchange is timed under a named endpoint
 * ({@code "POST /tubes/{tube}/bindings"}), every answer that is not 2xx is counted, as a
 * refusal when the caller expected that code (a duplicate scan's 409) or else as an error,
 * and transport failures, 5xx and 429 are retried like a terminal would: the same request
 * again, with the same Idempotency-Key.
 */
final class Http {

  static final int ATTEMPTS = 5;

  private final EpiloopClient client;
  private final Metrics metrics;

  Http(EpiloopClient client, Metrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  EpiloopClient client() {
    return client;
  }

  ApiResponse post(String endpoint, String path, String token, Object body, String... expected) {
    return exchange(endpoint, () -> client.post(path, token, body, Map.of()), true, expected);
  }

  ApiResponse post(String endpoint, String path, String token, Object body, Map<String, String> headers, String... expected) {
    return exchange(endpoint, () -> client.post(path, token, body, headers), true, expected);
  }

  /** One attempt only: the caller handles failures itself (a terminal's queue, say). */
  ApiResponse postOnce(String endpoint, String path, String token, Object body, Map<String, String> headers, String... expected) {
    return exchange(endpoint, () -> client.post(path, token, body, headers), false, expected);
  }

  ApiResponse csv(String endpoint, String path, String token, String csv, String... expected) {
    return exchange(endpoint, () -> client.postText(path, token, "text/csv", csv), true, expected);
  }

  ApiResponse get(String endpoint, String path, String token, String... expected) {
    return exchange(endpoint, () -> client.get(path, token), true, expected);
  }

  /**
   * GETs with the 2xx body streamed through {@code reader} (see {@link EpiloopClient#getStreaming}),
   * timed, counted and retried like any other exchange; the reader runs again from scratch on
   * each attempt, and the value is the one read on the last attempt (null unless it answered 2xx).
   */
  <T> EpiloopClient.Streamed<T> getStreaming(String endpoint, String path, String token, EpiloopClient.BodyReader<T> reader,
      String... expected) {
    AtomicReference<T> value = new AtomicReference<>();
    ApiResponse r = exchange(endpoint, () -> {
      EpiloopClient.Streamed<T> s = client.getStreaming(path, token, reader);
      value.set(s.value());
      return s.response();
    }, true, expected);
    return new EpiloopClient.Streamed<>(r, value.get());
  }

  private ApiResponse exchange(String endpoint, Supplier<ApiResponse> request, boolean retry, String[] expected) {
    ApiResponse r = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long t = System.nanoTime();
      r = request.get();
      long took = System.nanoTime() - t;
      if (!r.isTransportFailure()) {
        metrics.latency(endpoint, took);
      }
      if (r.is2xx()) {
        return r;
      }
      if (r.code() != null && contains(expected, r.code())) {
        metrics.refusal(endpoint, r);
        return r;
      }
      metrics.error(endpoint, r, attempt > 1 ? "attempt " + attempt : null);
      boolean again = retry && (r.isTransportFailure() || r.status() >= 500 || r.status() == 429);
      if (!again || attempt == ATTEMPTS) {
        return r;
      }
      metrics.count("http retries after transport failure, 5xx or 429");
      try {
        Thread.sleep(200L * attempt * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
    return r;
  }

  private static boolean contains(String[] codes, String code) {
    for (String c : codes) {
      if (c.equals(code)) {
        return true;
      }
    }
    return false;
  }
}
