package org.epiloop.province;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Waits between tries: exponential, capped, with half of each wait random. */
class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  @Test
  void eachWaitLiesBetweenHalfAndAllOfTheExponentialStepCapped() {
    SplittableRandom random = new SplittableRandom(7);
    long[] steps = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    for (int attempt = 1; attempt <= steps.length; attempt++) {
      for (int i = 0; i < 200; i++) {
        long wait = backoff.after(attempt, random).toMillis();
        assertThat(wait).as("attempt " + attempt).isBetween(steps[attempt - 1] / 2, steps[attempt - 1]);
      }
    }
    assertThat(backoff.after(10_000, random)).isLessThanOrEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theWaitsOfOneOutageSpreadOut() {
    SplittableRandom random = new SplittableRandom(11);
    long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> backoff.after(3, random).toMillis()).distinct().count();
    assertThat(distinct).isGreaterThan(50);
  }
}
