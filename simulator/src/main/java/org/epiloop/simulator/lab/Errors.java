package org.epiloop.simulator.lab;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Errors counted by request and HTTP status + problem {@code code} ("scan 409 RECEIPT_CLOSED"),
 * or by a wrong answer ("scan 200 UNEXPECTED"), with one example detail each. Thread-safe.
 */
public final class Errors {

  /** One line of the error table. */
  public record Line(String request, String key, long count, String example) {}

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  /** A failed request: its response's status and code. */
  public void add(String request, ApiResponse r, String context) {
    String detail = r.detail();
    if (detail == null && r.status() > 0) {
      detail = r.body() == null || r.body().isMissingNode() ? null : r.body().toString();
    }
    add(request, r.errorKey(), context == null ? detail : context + ": " + detail);
  }

  /** Anything else: a wrong answer to a successful request, say. */
  public void add(String request, String key, String example) {
    String k = request + "\u0000" + key;
    counts.computeIfAbsent(k, x -> new LongAdder()).increment();
    total.increment();
    if (example != null) {
      examples.putIfAbsent(k, example.length() > 240 ? example.substring(0, 240) + "…" : example);
    }
  }

  public long total() {
    return total.sum();
  }

  /** Sorted by request, then key. */
  public java.util.List<Line> lines() {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    java.util.List<Line> out = new java.util.ArrayList<>();
    sorted.forEach((k, v) -> {
      String[] p = k.split("\u0000", 2);
      out.add(new Line(p[0], p[1], v, examples.get(k)));
    });
    return out;
  }
}
