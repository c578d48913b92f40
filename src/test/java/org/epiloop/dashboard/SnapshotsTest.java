package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Snapshots snapshots = new Snapshots(Duration.ofSeconds(3), Duration.ofSeconds(60), nanos::get);
  private final AtomicInteger computations = new AtomicInteger();

  @AfterEach
  void close() {
    snapshots.close();
  }

  private Supplier<Integer> counter() {
    return computations::incrementAndGet;
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aFreshSnapshotIsServedAsItIs() {
    assertThat(snapshots.get("summary", counter())).isEqualTo(1);
    advance(Duration.ofMillis(2_900));
    assertThat(snapshots.get("summary", counter())).isEqualTo(1);
    assertThat(computations).hasValue(1);
    // another key is another view
    assertThat(snapshots.get("labs", counter())).isEqualTo(2);
  }

  @Test
  void anOldSnapshotIsServedOnceMoreWhileItIsRecomputedBehind() throws Exception {
    snapshots.get("summary", counter());
    advance(Duration.ofSeconds(10));
    CountDownLatch release = new CountDownLatch(1);
    Supplier<Integer> slow = () -> {
      await(release);
      return computations.incrementAndGet();
    };
    // the stale figures come back at once; one recomputation starts, not one per request
    assertThat(snapshots.get("summary", slow)).isEqualTo(1);
    assertThat(snapshots.get("summary", slow)).isEqualTo(1);
    release.countDown();
    snapshots.awaitRefreshes(Duration.ofSeconds(10));
    assertThat(computations).hasValue(2);
    assertThat(snapshots.get("summary", counter())).isEqualTo(2);
  }

  @Test
  void aSnapshotNobodyLookedAtForLongIsNeverServed() {
    snapshots.get("summary", counter());
    advance(Duration.ofSeconds(61));
    assertThat(snapshots.get("summary", counter())).isEqualTo(2);
    assertThat(computations).hasValue(2);
  }

  @Test
  void concurrentRequestsForAMissingViewWaitForOneComputation() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<Integer> slow = () -> {
      started.countDown();
      await(release);
      return computations.incrementAndGet();
    };
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> snapshots.get("labs", slow)));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 7; i++) {
        answers.add(pool.submit(() -> snapshots.get("labs", slow)));
      }
      // all eight requests are inside get() before the computation may finish
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.getActiveCount() < 8 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(pool.getActiveCount()).isEqualTo(8);
      release.countDown();
      List<Integer> values = new ArrayList<>();
      for (Future<Integer> f : answers) {
        values.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(values).containsOnly(1).hasSize(8);
      assertThat(computations).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedComputationIsNotKept() {
    assertThatThrownBy(() -> snapshots.get("sites", () -> {
      throw new IllegalStateException("database away");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(snapshots.get("sites", counter())).isEqualTo(1);
  }

  @Test
  void aFailedRefreshKeepsTheLastFigures() throws Exception {
    snapshots.get("sites", counter());
    advance(Duration.ofSeconds(5));
    AtomicInteger tries = new AtomicInteger();
    Supplier<Integer> failing = () -> {
      tries.incrementAndGet();
      throw new IllegalStateException("database away");
    };
    assertThat(snapshots.get("sites", failing)).isEqualTo(1);
    snapshots.awaitRefreshes(Duration.ofSeconds(10));
    assertThat(tries).hasValue(1);
    assertThat(snapshots.get("sites", counter())).isEqualTo(1);
  }

  @Test
  void zeroMaxAgeComputesEveryTime() {
    try (Snapshots none = new Snapshots(Duration.ZERO, Duration.ZERO, nanos::get)) {
      List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 3; i++) {
        seen.add(none.get("summary", counter()));
      }
      assertThat(seen).containsExactly(1, 2, 3);
      assertThat(none.size()).isZero();
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new Snapshots(Duration.ofSeconds(5), Duration.ofSeconds(1), nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
