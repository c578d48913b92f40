package org.epiloop.province;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Waits between tries of a delivery: exponential (initial × 2^(attempt−1), capped) with "equal
 * jitter" — half the wait fixed, half random — so that the bundles of one outage do not all come
 * back at the same instant when the province recovers, yet every wait still grows.
 */
record Backoff(Duration initial, Duration max) {

  /** The wait after the given failed attempt (1 for the first). */
  Duration after(int attempt, RandomGenerator random) {
    long cap = max.toMillis();
    long exp = initial.toMillis();
    for (int i = 1; i < attempt && exp < cap; i++) {
      exp *= 2;
    }
    long wait = Math.min(exp, cap);
    long half = wait / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
