package org.epiloop.simulator.day;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.api.ApiResponse;

/**
 * What the day measures, thread-safe: latency per endpoint (µs), answers that were not 2xx by
 * endpoint and status + problem code (split into errors and the refusals the simulator
 * provoked on purpose), items per stage with a per-second time line, turnaround times (ms)
 * and fault counters.
 */
final class Metrics {

  /** The stages in pipeline order: name and what one item is. */
  static final String[][] STAGES = {
      {"pre-registration", "persons registered on resident accounts"},
      {"sampling", "persons bound to tubes (first round)"},
      {"tubes sealed", "tubes sealed"},
      {"packing", "boxes packed and sealed"},
      {"transport", "boxes delivered to a lab"},
      {"lab receipt", "tubes checked in"},
      {"plating", "runs loaded (plates)"},
      {"results import", "instrument CSVs imported"},
      {"release", "runs released"},
      {"publication", "runs whose person results are all written"},
      {"recall", "persons seen on recall lists"},
      {"retest", "persons bound to single retest tubes"},
      {"residents", "results fetched by residents"},
      {"health codes", "health codes fetched and verified"},
  };

  static final long HIGHEST_MICROS = Duration.ofMinutes(10).toNanos() / 1000;
  static final long HIGHEST_MILLIS = Duration.ofHours(24).toMillis();

  /** Items of one stage over time. */
  static final class Stage {
    final String name;
    final String item;
    final LongAdder count = new LongAdder();
    final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    final Map<Long, LongAdder> perSecond = new ConcurrentHashMap<>();

    Stage(String name, String item) {
      this.name = name;
      this.item = item;
    }
  }

  /** One line of an error table. */
  record Line(String endpoint, String key, long count, String example) {}

  private final long t0 = System.nanoTime();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, Stage> stages = new ConcurrentHashMap<>();
  private final Map<String, Histogram> turnaround = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Tally errors = new Tally();
  private final Tally refusals = new Tally();

  Metrics() {
    for (String[] s : STAGES) {
      stages.put(s[0], new Stage(s[0], s[1]));
    }
  }

  private volatile long dayStartNanos = -1;

  long startNanos() {
    return t0;
  }

  /** Marks the start of the day (after the setup and pre-registration). */
  void dayStarts() {
    dayStartNanos = System.nanoTime();
  }

  /** Seconds from the start of the setup to the start of the day, or -1. */
  double dayStartSeconds() {
    return dayStartNanos < 0 ? -1 : (dayStartNanos - t0) / 1e9;
  }

  void latency(String endpoint, long nanos) {
    latency.computeIfAbsent(endpoint, e -> new ConcurrentHistogram(HIGHEST_MICROS, 3))
        .recordValue(Math.max(0, Math.min(nanos / 1000, HIGHEST_MICROS)));
  }

  void error(String endpoint, ApiResponse r, String context) {
    errors.add(endpoint, r.errorKey(), example(r, context));
  }

  void error(String endpoint, String key, String example) {
    errors.add(endpoint, key, example);
  }

  void refusal(String endpoint, ApiResponse r) {
    refusals.add(endpoint, r.errorKey(), example(r, null));
  }

  private static String example(ApiResponse r, String context) {
    String detail = r.detail();
    if (detail == null && r.status() > 0 && r.body() != null && !r.body().isMissingNode()) {
      detail = r.body().toString();
    }
    return context == null ? detail : context + ": " + detail;
  }

  /** Counts {@code n} items of a stage now. */
  void stage(String name, long n) {
    Stage s = stages.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no stage " + name);
    }
    long now = System.nanoTime();
    s.count.add(n);
    s.firstNanos.accumulateAndGet(now, Math::min);
    s.lastNanos.accumulateAndGet(now, Math::max);
    s.perSecond.computeIfAbsent((now - t0) / 1_000_000_000L, k -> new LongAdder()).add(n);
  }

  void stage(String name) {
    stage(name, 1);
  }

  void turnaround(String name, long millis) {
    turnaround.computeIfAbsent(name, k -> new ConcurrentHistogram(HIGHEST_MILLIS, 3))
        .recordValue(Math.max(0, Math.min(millis, HIGHEST_MILLIS)));
  }

  void count(String counter) {
    count(counter, 1);
  }

  void count(String counter, long n) {
    counters.computeIfAbsent(counter, k -> new LongAdder()).add(n);
  }

  long counter(String counter) {
    LongAdder a = counters.get(counter);
    return a == null ? 0 : a.sum();
  }

  Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  Map<String, Histogram> latencies() {
    return new TreeMap<>(latency);
  }

  Map<String, Histogram> turnarounds() {
    return new TreeMap<>(turnaround);
  }

  List<Stage> stages() {
    List<Stage> out = new ArrayList<>();
    for (String[] s : STAGES) {
      out.add(stages.get(s[0]));
    }
    return out;
  }

  List<Line> errors() {
    return errors.lines();
  }

  long errorCount() {
    return errors.total();
  }

  List<Line> refusals() {
    return refusals.lines();
  }

  /** Counts by endpoint and key with one example each. */
  static final class Tally {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void add(String endpoint, String key, String example) {
      String k = endpoint + "\u0000" + key;
      counts.computeIfAbsent(k, x -> new LongAdder()).increment();
      total.increment();
      if (example != null) {
        examples.putIfAbsent(k, example.length() > 300 ? example.substring(0, 300) + "…" : example);
      }
    }

    long total() {
      return total.sum();
    }

    List<Line> lines() {
      Map<String, Long> sorted = new TreeMap<>();
      counts.forEach((k, v) -> sorted.put(k, v.sum()));
      List<Line> out = new ArrayList<>();
      sorted.forEach((k, v) -> {
        String[] p = k.split("\u0000", 2);
        out.add(new Line(p[0], p[1], v, examples.get(k)));
      });
      return out;
    }
  }
}
