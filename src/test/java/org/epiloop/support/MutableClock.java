package org.epiloop.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests can move forward; it starts at the real time. */
public final class MutableClock extends Clock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public void advance(Duration d) {
    offset.accumulateAndGet(d, Duration::plus);
  }

  /**
   * Moves on to just after the start of the next fixed window of this length (rate limits count
   * in such windows): the clock runs on in real time, and a test that fills a window and then
   * expects a refusal must not see the window end in between on a loaded machine.
   */
  public void advanceToWindowStart(Duration window) {
    long length = window.toMillis();
    advance(Duration.ofMillis(length - Math.floorMod(instant().toEpochMilli(), length) + 200));
  }

  public void reset() {
    offset.set(Duration.ZERO);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.offset(Clock.system(zone), offset.get());
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }
}
