package org.epiloop.simulator.day;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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

  private final List<EpiloopClient> copies;
  private final Metrics metrics;
  /** Each thread's copy (a terminal, a courier, a resident's worker): assigned round-robin on its first request. */
  private final ThreadLocal<Integer> home;
  private final AtomicInteger nextHome;
  /** 0, or 1 for the view that sends to the copy after the thread's own ({@link #other()}). */
  private final int shift;

  Http(EpiloopClient client, Metrics metrics) {
    this(List.of(client), metrics);
  }

  /**
   * Over several copies of Epiloop sharing one database: each thread talks to its own copy, and
   * each attempt after a failure goes to the next one, so that the day's invariants are checked
   * with retries landing on other copies.
   */
  Http(List<EpiloopClient> copies, Metrics metrics) {
    this(List.copyOf(copies), metrics, new ThreadLocal<>(), new AtomicInteger(), 0);
  }

  private Http(List<EpiloopClient> copies, Metrics metrics, ThreadLocal<Integer> home, AtomicInteger nextHome, int shift) {
    if (copies.isEmpty()) {
      throw new IllegalArgumentException("no URL");
    }
    this.copies = copies;
    this.metrics = metrics;
    this.home = home;
    this.nextHome = nextHome;
    this.shift = shift;
  }

  /** The calling thread's own copy (the only one with one URL). */
  EpiloopClient client() {
    return copies.get(index(0));
  }

  /**
   * The same calls, sent to the copy after this thread's own: a scan a terminal sends again
   * (same Idempotency-Key) reaches another copy, as it would behind a load balancer.
   */
  Http other() {
    return new Http(copies, metrics, home, nextHome, shift + 1);
  }

  /** How many copies the day drives. */
  int copies() {
    return copies.size();
  }

  private int index(int attempt) {
    Integer h = home.get();
    if (h == null) {
      h = Math.floorMod(nextHome.getAndIncrement(), copies.size());
      home.set(h);
    }
    return Math.floorMod(h + shift + attempt, copies.size());
  }

  ApiResponse post(String endpoint, String path, String token, Object body, String... expected) {
    return exchange(endpoint, c -> c.post(path, token, body, Map.of()), true, expected);
  }

  ApiResponse post(String endpoint, String path, String token, Object body, Map<String, String> headers, String... expected) {
    return exchange(endpoint, c -> c.post(path, token, body, headers), true, expected);
  }

  /** One attempt only: the caller handles failures itself (a terminal's queue, say). */
  ApiResponse postOnce(String endpoint, String path, String token, Object body, Map<String, String> headers, String... expected) {
    return exchange(endpoint, c -> c.post(path, token, body, headers), false, expected);
  }

  ApiResponse csv(String endpoint, String path, String token, String csv, String... expected) {
    return exchange(endpoint, c -> c.postText(path, token, "text/csv", csv), true, expected);
  }

  ApiResponse get(String endpoint, String path, String token, String... expected) {
    return exchange(endpoint, c -> c.get(path, token), true, expected);
  }

  /**
   * GETs with the 2xx body streamed through {@code reader} (see {@link EpiloopClient#getStreaming}),
   * timed, counted and retried like any other exchange; the reader runs again from scratch on
   * each attempt, and the value is the one read on the last attempt (null unless it answered 2xx).
   */
  <T> EpiloopClient.Streamed<T> getStreaming(String endpoint, String path, String token, EpiloopClient.BodyReader<T> reader,
      String... expected) {
    AtomicReference<T> value = new AtomicReference<>();
    ApiResponse r = exchange(endpoint, c -> {
      EpiloopClient.Streamed<T> s = c.getStreaming(path, token, reader);
      value.set(s.value());
      return s.response();
    }, true, expected);
    return new EpiloopClient.Streamed<>(r, value.get());
  }

  private ApiResponse exchange(String endpoint, Function<EpiloopClient, ApiResponse> request, boolean retry, String[] expected) {
    ApiResponse r = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long t = System.nanoTime();
      if (attempt > 1 && copies.size() > 1) {
        metrics.count("cluster: attempts after a failure sent to another copy");
      }
      r = request.apply(copies.get(index(attempt - 1)));
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
