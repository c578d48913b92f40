package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Delivery to the province during a day ({@code --province} / {@code --province-url}): follows
 * how far the server's outbox lags behind the releases (every 5 s: bundles waiting, age of the
 * oldest), and afterwards checks that every released result was delivered once — nothing left
 * waiting or refused, the receiver holds exactly as many results as the server says it
 * delivered, and (with the receiver in this process) no bundle was committed twice.
 */
final class ProvinceCheck {

  private final CityDay day;
  private final Province receiver;
  private final String url;
  private final AtomicLong maxWaiting = new AtomicLong();
  private final AtomicLong maxOldestSeconds = new AtomicLong();
  private volatile boolean following;
  private Thread follower;

  ProvinceCheck(CityDay day, Province receiver, String url) {
    this.day = day;
    this.receiver = receiver;
    this.url = url;
  }

  private JsonNode status() {
    ApiResponse r = day.http.get("GET /admin/province", "/api/v1/admin/province", day.city.adminToken);
    return r.status() == 200 ? r.body() : null;
  }

  /** Samples the outbox every 5 s until {@link #stop}. */
  void follow() {
    following = true;
    follower = new Thread(() -> {
      while (following) {
        JsonNode s = status();
        if (s != null) {
          JsonNode sum = s.path("summary");
          maxWaiting.accumulateAndGet(sum.path("pending").asLong(), Math::max);
          if (sum.hasNonNull("oldestPendingSince")) {
            long age = Duration.between(java.time.Instant.parse(sum.path("oldestPendingSince").asText()), java.time.Instant.now()).toSeconds();
            maxOldestSeconds.accumulateAndGet(age, Math::max);
          }
        }
        CityDay.sleep(5000);
      }
    }, "province-lag");
    follower.setDaemon(true);
    follower.start();
  }

  void stop() {
    following = false;
  }

  /** Waits (at most {@code --settle-seconds}) for the outbox to drain, then checks. */
  Invariants.Check check() {
    long deadline = System.nanoTime() + day.o.settleSeconds * 1_000_000_000L;
    JsonNode s = status();
    while (s != null && s.path("summary").path("pending").asLong() > 0 && System.nanoTime() < deadline) {
      CityDay.sleep(1000);
      s = status();
    }
    stop();
    if (s == null) {
      return new Invariants.Check("every released result delivered once to the province", false,
          "GET /api/v1/admin/province failed (is the server's delivery on?)");
    }
    JsonNode sum = s.path("summary");
    long pending = sum.path("pending").asLong();
    long dead = sum.path("dead").asLong();
    long delivered = sum.path("delivered").asLong();
    long held;
    String extra;
    boolean ok;
    if (receiver != null) {
      Province.Tally t = receiver.tally();
      held = t.results();
      // a bundle may reach the province twice only when its first answer never reached the server
      // (a timeout after the province committed): then the server tried it again, and the
      // conditional entries made the second commit change nothing
      long retried = sum.path("deliveredAfterRetry").asLong();
      ok = t.duplicates() <= retried && t.bundles() >= delivered;
      extra = String.format(" %d bundles committed, %d of them twice (the server retried %d unanswered); peak %.0f bundles/s (10 s window)",
          t.bundles(), t.duplicates(), retried, receiver.peakPerSecond(10_000));
    } else {
      held = countAt(url);
      ok = true;
      extra = "";
    }
    ok = ok && s.path("enabled").asBoolean() && pending == 0 && dead == 0 && held == delivered && delivered > 0;
    String lag = String.format("; outbox lag: most waiting %d, oldest waiting %d s, acknowledged after p50 %.1f s, p99 %.1f s, max %.1f s",
        maxWaiting.get(), maxOldestSeconds.get(), sum.path("lagP50Seconds").asDouble(), sum.path("lagP99Seconds").asDouble(),
        sum.path("lagMaxSeconds").asDouble());
    return new Invariants.Check("every released result delivered once to the province", ok,
        String.format("server: %d delivered, %d waiting, %d refused; the province holds %d results;", delivered, pending, dead, held) + extra
            + lag);
  }

  private static long countAt(String base) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/DiagnosticReport?_summary=count"))
          .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(r.body()).path("total").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }
}
