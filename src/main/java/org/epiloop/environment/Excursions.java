package org.epiloop.environment;

import java.time.Duration;
import java.time.Instant;

/**
 * The excursion rule of one device and measure, reading by reading: a reading outside the
 * limits starts (or continues) a time out of range, remembering its start and its worst value;
 * once it has lasted the grace period an incident is raised; the first reading back in range
 * ends it. A short spike inside the grace period (a door opened) raises nothing.
 */
final class Excursions {

  private Excursions() {}

  /** A device's measure. Ordered, so that rows are always locked in the same order. */
  record ChannelKey(int deviceId, Measure measure) implements Comparable<ChannelKey> {
    @Override
    public int compareTo(ChannelKey o) {
      int c = Integer.compare(deviceId, o.deviceId);
      return c != 0 ? c : measure.compareTo(o.measure);
    }
  }

  /** Limits of a measure (either may be open) and how long it may be out before an alert. */
  record Limits(Double min, Double max, Duration grace) {
    boolean out(double v) {
      return (min != null && v < min) || (max != null && v > max);
    }

    /** How far outside the range (0 inside). */
    double beyond(double v) {
      double over = max == null ? 0 : v - max;
      double under = min == null ? 0 : min - v;
      return Math.max(0, Math.max(over, under));
    }
  }

  /** Where a channel stands (mutable while a batch is applied). */
  static final class Channel {
    Instant lastAt;
    double lastValue;
    Instant outSince;
    Double outPeak;
    Long incidentId;
    boolean peakChanged;

    Channel(Instant lastAt, double lastValue, Instant outSince, Double outPeak, Long incidentId) {
      this.lastAt = lastAt;
      this.lastValue = lastValue;
      this.outSince = outSince;
      this.outPeak = outPeak;
      this.incidentId = incidentId;
    }
  }

  enum Step {
    /** Nothing to tell. */
    NONE,
    /** Out of range past the grace period: raise an incident now. */
    RAISE,
    /** Back in range with an incident open: close it. */
    CLOSE
  }

  /** Applies one reading (newer than the last) to the channel. Without limits nothing is ever out. */
  static Step step(Channel ch, Limits limits, Instant at, double value) {
    ch.lastAt = at;
    ch.lastValue = value;
    if (limits == null || !limits.out(value)) {
      boolean open = ch.incidentId != null;
      ch.outSince = null;
      ch.outPeak = null;
      return open ? Step.CLOSE : Step.NONE;
    }
    if (ch.outSince == null) {
      ch.outSince = at;
      ch.outPeak = value;
    } else if (limits.beyond(value) > limits.beyond(ch.outPeak)) {
      ch.outPeak = value;
      ch.peakChanged = true;
    }
    if (ch.incidentId == null && !Duration.between(ch.outSince, at).minus(limits.grace()).isNegative()) {
      return Step.RAISE;
    }
    return Step.NONE;
  }
}
