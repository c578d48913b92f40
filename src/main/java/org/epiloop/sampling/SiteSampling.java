package org.epiloop.sampling;

import java.time.Duration;
import java.time.Instant;

/**
 * The per-site sampling counters ({@code site_sampling}): persons bound and tubes sealed per
 * site in 10-minute buckets, written in the same statement or transaction as the binding or
 * seal they count, so they never disagree with the bindings.
 */
public final class SiteSampling {

  /** Width of one counter bucket. */
  public static final Duration BUCKET = Duration.ofMinutes(10);

  private SiteSampling() {}

  /** The start of the bucket an instant falls in. */
  public static Instant bucket(Instant at) {
    long s = at.getEpochSecond();
    return Instant.ofEpochSecond(s - Math.floorMod(s, BUCKET.toSeconds()));
  }
}
