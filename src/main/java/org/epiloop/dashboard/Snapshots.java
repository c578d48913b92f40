package org.epiloop.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short-lived snapshots of the command centre's figures, refreshed behind the requests.
 *
 * <p>Every screen on the wall polls the same few views every few seconds, and on a busy day
 * the server's cores are taken by the scans. So a view is computed at most once per
 * {@code maxAge}, whoever asks: a request finding a snapshot younger than {@code maxAge}
 * gets it as it is; one finding it older (but younger than {@code staleLimit}) also gets it
 * as it is and starts one recomputation in the background; one finding none, or one older than
 * {@code staleLimit} (nobody looked for a while), waits for a fresh computation. Concurrent
 * requests for the same missing view wait for one computation, not one each. Failures are not
 * kept: the next request tries again. With {@code maxAge} zero every request computes.
 */
final class Snapshots implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Snapshots.class);
  private static final int MAX_ENTRIES = 2_000;

  private final long maxAgeNanos;
  private final long staleLimitNanos;
  private final LongSupplier ticker;
  private final ExecutorService refresher;
  private final Map<Object, Slot> slots = new ConcurrentHashMap<>();

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    final AtomicBoolean refreshing = new AtomicBoolean();
    volatile Object value;
    volatile long computedAt;
    volatile long readAt;
    volatile boolean present;
  }

  Snapshots(Duration maxAge, Duration staleLimit, LongSupplier ticker) {
    if (maxAge.isNegative() || staleLimit.compareTo(maxAge) < 0) {
      throw new IllegalArgumentException("epiloop.dashboard: snapshot-max-age must be >= 0 and snapshot-stale-limit >= it");
    }
    this.maxAgeNanos = maxAge.toNanos();
    this.staleLimitNanos = staleLimit.toNanos();
    this.ticker = ticker;
    this.refresher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "dashboard-snapshots");
      t.setDaemon(true);
      return t;
    });
  }

  /** The view under {@code key}: a snapshot, or computed now (see the class comment). */
  @SuppressWarnings("unchecked")
  <T> T get(Object key, Supplier<T> compute) {
    if (maxAgeNanos == 0) {
      return compute.get();
    }
    long now = ticker.getAsLong();
    Slot slot = slots.get(key);
    if (slot == null) {
      if (slots.size() >= MAX_ENTRIES) {
        forgetUnread(now);
      }
      slot = slots.computeIfAbsent(key, k -> new Slot());
    }
    slot.readAt = now;
    if (slot.present) {
      long age = now - slot.computedAt;
      if (age <= maxAgeNanos) {
        return (T) slot.value;
      }
      if (age <= staleLimitNanos) {
        // the snapshot as found: a refresh that finishes at once must not change this answer
        T found = (T) slot.value;
        refreshBehind(slot, compute);
        return found;
      }
    }
    slot.lock.lock();
    try {
      // another request may have computed it while this one waited
      if (slot.present && ticker.getAsLong() - slot.computedAt <= maxAgeNanos) {
        return (T) slot.value;
      }
      return store(slot, compute);
    } finally {
      slot.lock.unlock();
    }
  }

  private <T> void refreshBehind(Slot slot, Supplier<T> compute) {
    if (!slot.refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(() -> {
        slot.lock.lock();
        try {
          if (ticker.getAsLong() - slot.computedAt > maxAgeNanos) {
            store(slot, compute);
          }
        } catch (RuntimeException e) {
          log.warn("A command-centre view could not be refreshed; the last figures stay until the next try", e);
        } finally {
          slot.lock.unlock();
          slot.refreshing.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      slot.refreshing.set(false);
    }
  }

  private <T> T store(Slot slot, Supplier<T> compute) {
    // the snapshot is as old as the moment its computation started
    long started = ticker.getAsLong();
    T value = compute.get();
    slot.value = value;
    slot.computedAt = started;
    slot.present = true;
    return value;
  }

  private void forgetUnread(long now) {
    slots.entrySet().removeIf(e -> now - e.getValue().readAt > staleLimitNanos);
  }

  int size() {
    return slots.size();
  }

  /** Waits until the refreshes queued so far have finished (the refresher is one thread). */
  void awaitRefreshes(Duration timeout) throws Exception {
    refresher.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
