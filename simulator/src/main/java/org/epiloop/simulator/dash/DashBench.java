package org.epiloop.simulator.dash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.bench.ProcStats;
import org.epiloop.simulator.bench.ServerMonitor;
import org.epiloop.simulator.lab.Errors;
import org.epiloop.simulator.lab.Latency;
import org.epiloop.simulator.lab.Log;

/**
 * The dash-bench run: logs in as an OFFICIAL (creating the user through the admin API if the login
 * fails), then closed-loop clients GET the dashboard endpoints round-robin for a warm-up and a
 * measured window. Latencies are taken from sending the request to having read the whole body.
 */
final class DashBench {

  record Config(String url, String adminPassword, String user, String password, String district, String endpoints, int clients,
      int warmupSeconds, int durationSeconds, long pauseMillis, int timeoutSeconds, double targetMillis, Long serverPid,
      String commandLine) {}

  /** What one endpoint got in the measured window (requests started and completed in it) and in the warm-up. */
  static final class EndpointStats {
    final DashEndpoints.Endpoint endpoint;
    final Latency ok = new Latency();
    final LongAdder measured = new LongAdder();
    final LongAdder warmup = new LongAdder();

    EndpointStats(DashEndpoints.Endpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** Everything the report needs. */
  static final class Result {
    Config config;
    String userNote;
    String district;
    final List<EndpointStats> endpoints = new ArrayList<>();
    final Errors errors = new Errors();
    final Errors warmupErrors = new Errors();
    Instant measuredFrom;
    Instant measuredTo;
    double measuredSeconds;
    long peakRssMeasuredKb = -1;
    Map<Long, String> databaseProcesses = Map.of();
    ServerMonitor.CpuSnapshot cpuFrom;
    ServerMonitor.CpuSnapshot cpuTo;
    double[] loadBefore;
    double[] loadAfter;

    long okTotal() {
      return endpoints.stream().mapToLong(e -> e.ok.count()).sum();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Config config;
  private final Log log = new Log("dash-bench");
  private final HttpClient http;

  DashBench(Config config) {
    this.config = config;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Result run() throws InterruptedException {
    Result r = new Result();
    r.config = config;
    EpiloopClient api = new EpiloopClient(URI.create(config.url()), Duration.ofSeconds(5), Duration.ofSeconds(60));
    String token = login(api, r);
    r.district = config.district() != null ? config.district() : busiestDistrict(api, token);
    for (DashEndpoints.Endpoint e : DashEndpoints.select(r.district, config.endpoints())) {
      r.endpoints.add(new EndpointStats(e));
    }
    log.info("%d clients over %d endpoints (district %s), pause %d ms, warm-up %d s, measured %d s", config.clients(),
        r.endpoints.size(), r.district, config.pauseMillis(), config.warmupSeconds(), config.durationSeconds());

    ServerMonitor monitor = null;
    if (config.serverPid() != null) {
      monitor = new ServerMonitor(config.serverPid());
      monitor.start();
    }
    long start = System.nanoTime();
    long mFrom = start + config.warmupSeconds() * 1_000_000_000L;
    long mTo = mFrom + config.durationSeconds() * 1_000_000_000L;
    Thread[] threads = new Thread[config.clients()];
    for (int i = 0; i < threads.length; i++) {
      final int k = i;
      threads[k] = new Thread(() -> client(k, token, r, mFrom, mTo), "dash-client-" + k);
      threads[k].setDaemon(true);
      threads[k].start();
    }
    r.loadBefore = loadAverage();
    sleepUntil(mFrom);
    long pid = config.serverPid() == null ? 0 : config.serverPid();
    if (config.serverPid() != null) {
      r.databaseProcesses = ProcStats.databaseProcesses(config.serverPid());
    }
    r.cpuFrom = ServerMonitor.CpuSnapshot.take(pid, r.databaseProcesses.keySet());
    r.measuredFrom = Instant.now();
    if (monitor != null) {
      monitor.measuring(true);
    }
    log.info("measured window starts");
    sleepUntil(mTo);
    if (config.serverPid() != null) {
      Map<Long, String> more = new TreeMap<>(r.databaseProcesses);
      more.putAll(ProcStats.databaseProcesses(config.serverPid()));
      r.databaseProcesses = more;
    }
    r.cpuTo = ServerMonitor.CpuSnapshot.take(pid, r.databaseProcesses.keySet());
    r.measuredTo = Instant.now();
    r.loadAfter = loadAverage();
    r.measuredSeconds = (r.cpuTo.wallNanos() - r.cpuFrom.wallNanos()) / 1e9;
    if (monitor != null) {
      monitor.measuring(false);
      r.peakRssMeasuredKb = monitor.peakRssMeasuredKb();
      monitor.close();
    }
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(config.timeoutSeconds() + 5).toMillis());
    }
    log.info("%d successful requests measured", r.okTotal());
    return r;
  }

  private void client(int k, String token, Result r, long mFrom, long mTo) {
    List<EndpointStats> eps = r.endpoints;
    long n = 0;
    while (true) {
      long s = System.nanoTime();
      if (s >= mTo) {
        return;
      }
      EndpointStats e = eps.get(DashEndpoints.pick(k, n++, eps.size()));
      Outcome o = get(e.endpoint.path(), token);
      long t = System.nanoTime();
      boolean measured = s >= mFrom && t <= mTo;
      if (measured) {
        e.measured.increment();
        if (o.ok()) {
          e.ok.record(s, t);
        } else {
          o.count(r.errors, e.endpoint.name());
        }
      } else if (t < mFrom) {
        e.warmup.increment();
        if (!o.ok()) {
          o.count(r.warmupErrors, e.endpoint.name());
        }
      }
      if (config.pauseMillis() > 0) {
        long wake = Math.min(System.nanoTime() + config.pauseMillis() * 1_000_000L, mTo);
        try {
          sleepUntil(wake);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One answer: ok, or an error key with an example detail. */
  record Outcome(ApiResponse failed, String key, String example) {
    boolean ok() {
      return failed == null && key == null;
    }

    void count(Errors errors, String request) {
      if (failed != null) {
        errors.add(request, failed, null);
      } else {
        errors.add(request, key, example);
      }
    }
  }

  private Outcome get(String path, String token) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(config.url() + path)).timeout(Duration.ofSeconds(config.timeoutSeconds()))
        .header("Accept", "application/json, application/problem+json").header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Outcome(ApiResponse.transportFailure(e), null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(ApiResponse.transportFailure(e), null, null);
    }
    byte[] body = resp.body() == null ? new byte[0] : resp.body();
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return looksLikeJson(body) ? new Outcome(null, null, null)
          : new Outcome(null, status + " not JSON", new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
    }
    JsonNode node = MissingNode.getInstance();
    try {
      node = body.length == 0 ? node : JSON.readTree(body);
    } catch (IOException e) {
      // an HTML error page, say: keep the status
    }
    JsonNode c = node.get("code");
    JsonNode d = node.get("detail");
    return new Outcome(new ApiResponse(status, node, c == null || c.isNull() ? null : c.asText(), d == null || d.isNull() ? null : d.asText()),
        null, null);
  }

  /** A JSON object or array: the first non-blank byte is '{' or '['. */
  static boolean looksLikeJson(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }

  private String login(EpiloopClient api, Result r) {
    try {
      String t = api.login(config.user(), config.password());
      r.userNote = "logged in as `" + config.user() + "`";
      return t;
    } catch (ApiException e) {
      if (e.response().status() != 401) {
        throw e;
      }
    }
    log.info("login as %s failed (401): creating it as an OFFICIAL through the admin API", config.user());
    String admin = api.login("admin", config.adminPassword());
    Map<String, Object> body = new HashMap<>();
    body.put("username", config.user());
    body.put("password", config.password());
    body.put("role", "OFFICIAL");
    api.create("/api/v1/admin/users", admin, body);
    r.userNote = "created OFFICIAL `" + config.user() + "` through the admin API";
    return api.login(config.user(), config.password());
  }

  /** The district with the most sites (GET /api/v1/sites), for the district views. */
  private String busiestDistrict(EpiloopClient api, String token) {
    ApiResponse sites = api.get("/api/v1/sites", token);
    if (sites.status() != 200 || !sites.body().isArray() || sites.body().isEmpty()) {
      throw new IllegalStateException("GET /api/v1/sites -> " + sites.errorKey() + ": pass --district");
    }
    Map<String, Integer> count = new TreeMap<>();
    sites.body().forEach(s -> count.merge(s.path("districtCode").asText(), 1, Integer::sum));
    return count.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()).orElseThrow().getKey();
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long ms = (nanos - System.nanoTime()) / 1_000_000;
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  private static double[] loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (Exception e) {
      return null;
    }
  }
}
