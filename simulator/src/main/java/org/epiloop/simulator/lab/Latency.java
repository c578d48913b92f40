package org.epiloop.simulator.lab;

import java.time.Duration;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Latencies of one kind of request in microseconds, thread-safe, up to 10 minutes, 3 significant digits. */
public final class Latency {

  public static final long HIGHEST_MICROS = Duration.ofMinutes(10).toNanos() / 1000;

  private final Histogram histogram = new ConcurrentHistogram(HIGHEST_MICROS, 3);

  public void record(long startNanos, long endNanos) {
    histogram.recordValue(Math.max(0, Math.min((endNanos - startNanos) / 1000, HIGHEST_MICROS)));
  }

  public Histogram histogram() {
    return histogram;
  }

  public long count() {
    return histogram.getTotalCount();
  }
}
