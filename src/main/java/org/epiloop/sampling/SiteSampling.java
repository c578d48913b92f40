package org.epiloop.sampling;

import java.time.Duration;
import java.time.Instant;

/**
 * The per-site sampling counters ({@code site_sampling}): persons bound and tubes sealed per
 * site in 10-minute buckets, written in the same statement or transaction as the binding or
 * seal they count, so they never disagree with the bindings. A site's bucket is spread over
 * {@link #SHARDS} rows chosen by the tube (ADR 0029): a binding holds its counter row's lock
 * until its commit is flushed, and terminals filling different tubes at one site would otherwise
 * wait for each other's WAL flush one after the other. Readers sum the rows.
 */
public final class SiteSampling {

  /** Width of one counter bucket. */
  public static final Duration BUCKET = Duration.ofMinutes(10);

  /** Rows per site and bucket: a few terminals per site rarely fill two tubes of one shard at once. */
  public static final int SHARDS = 4;

  private SiteSampling() {}

  /** The counter row of a tube's bindings and seal (the same for all of them, so an unbinding finds it). */
  public static int shard(String tubeCode) {
    return Math.floorMod(tubeCode.hashCode(), SHARDS);
  }

  /** The start of the bucket an instant falls in. */
  public static Instant bucket(Instant at) {
    long s = at.getEpochSecond();
    return Instant.ofEpochSecond(s - Math.floorMod(s, BUCKET.toSeconds()));
  }
}
