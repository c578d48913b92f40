package org.epiloop.simulator.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs tasks 0..n-1 on a fixed number of threads, each thread taking the next index, with a
 * progress line every 5 seconds. The first exception stops the others and is rethrown.
 */
final class Parallel {

  private Parallel() {}

  /**
   * @param unit what one task produces, for the progress line ("tubes", "boxes")
   * @param weight how many of {@code unit} one task is worth, for the progress line
   * @return the wall time in seconds
   */
  static double run(Log log, String label, int threads, int n, String unit, int weight, IntConsumer task)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    List<Thread> pool = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, Math.max(n, 1)); t++) {
      Thread th = new Thread(() -> {
        while (failure.get() == null) {
          int i = next.getAndIncrement();
          if (i >= n) {
            return;
          }
          try {
            task.accept(i);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            return;
          }
          done.incrementAndGet();
        }
      }, label + "-" + t);
      th.setDaemon(true);
      pool.add(th);
      th.start();
    }
    long lastTick = t0;
    int lastDone = 0;
    for (Thread th : pool) {
      while (th.isAlive()) {
        th.join(500);
        long now = System.nanoTime();
        if (now - lastTick >= 5_000_000_000L) {
          int d = done.get();
          double rate = (d - lastDone) * (double) weight / ((now - lastTick) / 1e9);
          log.info("%s: %d/%d %s (%.0f%%), %.0f %s/s", label, d * weight, n * weight, unit, 100.0 * d / Math.max(n, 1),
              rate, unit);
          lastTick = now;
          lastDone = d;
        }
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    log.info("%s: done, %d %s in %.1f s (%.0f %s/s)", label, n * weight, unit, seconds, n * weight / seconds, unit);
    return seconds;
  }
}
