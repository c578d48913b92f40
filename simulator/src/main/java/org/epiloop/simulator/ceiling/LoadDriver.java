package org.epiloop.simulator.ceiling;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one load client of the {@code ceiling} command, used alike for the bare application and for
 * Epiloop: {@code clients} platform threads, each sending one request after another over pooled
 * keep-alive connections (Apache HttpClient's classic, blocking client: the request is written and
 * the answer read on the calling thread, which costs the client far less CPU than an asynchronous
 * client on a 2-core machine the server shares). A window is a warm-up, not measured, and then the
 * measured part: successes and latencies of counted requests that started and ended in it.
 */
final class LoadDriver implements Closeable {

  private static final byte[] EMPTY = new byte[0];

  /** A request and whether it counts (a tube opened between bindings does not). */
  record Call(ClassicHttpRequest request, boolean counted) {}

  /** One worker's sequence of requests. */
  interface Step {
    /**
     * The next request; null when there is nothing left for this worker, which then stops. Once half
     * of the workers have stopped the window ends for all (a queue run dry: what is left would only
     * measure the tail).
     */
    Call next();

    /** The answer to {@code call}; true when it is what a success must be. */
    boolean answered(Call call, int status, byte[] body);
  }

  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient http;

  LoadDriver(int clients) {
    connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(2 * clients)
        .setMaxConnPerRoute(clients)
        // a connection idle between windows may have been closed by the server: check it before reuse
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(5))
            .setSocketTimeout(Timeout.ofSeconds(30))
            .setValidateAfterInactivity(TimeValue.ofMilliseconds(500))
            .build())
        .build();
    http = HttpClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
        .disableCookieManagement()
        .disableContentCompression()
        .disableRedirectHandling()
        .disableAuthCaching()
        .disableAutomaticRetries()
        .build();
  }

  /**
   * Runs one window: {@code warmupMillis} then {@code measureMillis}, {@code clients} workers made by
   * {@code workers}. The CPU suppliers (nanoseconds, negative: unknown) are read at the start and
   * the end of the measured part.
   */
  CeilingReport.Window run(IntFunction<Step> workers, int clients, long warmupMillis, long measureMillis, LongSupplier jvmCpu,
      LongSupplier dbCpu, Map<String, Long> errorsOut) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmupMillis * 1_000_000L;
    long[] end = {measureFrom + measureMillis * 1_000_000L};
    long[] dryAt = {Long.MAX_VALUE};
    int[] stopped = {0};
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    List<Histogram> histograms = new ArrayList<>();
    List<long[]> oks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Step step = workers.apply(i);
      Histogram h = new Histogram(60_000_000L, 3);
      long[] ok = new long[1];
      histograms.add(h);
      oks.add(ok);
      Thread t = new Thread(() -> loop(step, measureFrom, end, dryAt, stopped, clients, h, ok, errors), "ceiling-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    sleepUntil(measureFrom);
    long jvm0 = jvmCpu.getAsLong();
    long db0 = dbCpu.getAsLong();
    while (System.nanoTime() < end[0] && dryAt[0] == Long.MAX_VALUE) {
      Thread.sleep(20);
    }
    long measuredTo = Math.min(System.nanoTime(), Math.min(end[0], dryAt[0]));
    long jvm1 = jvmCpu.getAsLong();
    long db1 = dbCpu.getAsLong();
    synchronized (end) {
      end[0] = Math.min(end[0], measuredTo);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    Histogram all = new Histogram(60_000_000L, 3);
    long ok = 0;
    for (int i = 0; i < clients; i++) {
      all.add(histograms.get(i));
      ok += oks.get(i)[0];
    }
    errors.forEach((k, v) -> errorsOut.merge(k, v.sum(), Long::sum));
    long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
    // successes count from measureFrom (not from when the CPU was read, which can lag on a loaded machine)
    double seconds = Math.max(0, measuredTo - measureFrom) / 1e9;
    return new CeilingReport.Window(ok, errorCount, seconds,
        all.getTotalCount() == 0 ? Double.NaN : all.getValueAtPercentile(50) / 1000.0,
        all.getTotalCount() == 0 ? Double.NaN : all.getValueAtPercentile(99) / 1000.0,
        jvm0 < 0 || jvm1 < 0 ? null : jvm1 - jvm0,
        db0 < 0 || db1 < 0 ? null : db1 - db0);
  }

  private void loop(Step step, long measureFrom, long[] end, long[] dryAt, int[] stopped, int clients, Histogram h, long[] ok,
      Map<String, LongAdder> errors) {
    while (true) {
      long t0 = System.nanoTime();
      if (t0 >= end[0]) {
        return;
      }
      Call call = step.next();
      if (call == null) {
        synchronized (end) {
          if (++stopped[0] * 2 >= clients) {
            dryAt[0] = Math.min(dryAt[0], t0);
            end[0] = Math.min(end[0], t0);
          }
        }
        return;
      }
      int status;
      byte[] body;
      try {
        long[] holder = new long[1];
        body = http.execute(call.request(), response -> {
          holder[0] = response.getCode();
          HttpEntity e = response.getEntity();
          return e == null ? EMPTY : EntityUtils.toByteArray(e);
        });
        status = (int) holder[0];
      } catch (IOException e) {
        status = 0;
        body = EMPTY;
      }
      long t1 = System.nanoTime();
      boolean good = step.answered(call, status, body);
      if (call.counted() && t0 >= measureFrom && t1 <= end[0]) {
        if (good) {
          h.recordValue(Math.min(h.getHighestTrackableValue(), (t1 - t0) / 1000));
          ok[0]++;
        } else {
          errors.computeIfAbsent(status == 0 ? "transport" : Integer.toString(status), k -> new LongAdder()).increment();
        }
      }
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long ms = (nanoTime - System.nanoTime()) / 1_000_000L;
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  /** Error counts as "status: n", for the report. */
  static String errorLine(Map<String, Long> errors) {
    return new TreeMap<>(errors).toString();
  }

  @Override
  public void close() throws IOException {
    http.close();
    connections.close();
  }
}
