package org.epiloop.support;

import java.util.concurrent.atomic.AtomicLong;
import org.epiloop.identity.IdNumbers;

/** Synthetic, valid, distinct mainland ID numbers for tests. */
public final class Ids {

  private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);
  private static final AtomicLong PHONES = new AtomicLong(System.nanoTime() % 10_000_000);
  /** Every ID number and phone handed out in this test run, for the log privacy check. */
  public static final java.util.Set<String> ISSUED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Ids() {}

  /** A fresh valid ID number (region 320102, born 1980–2009). */
  public static String next() {
    long n = SEQ.incrementAndGet();
    int year = 1980 + (int) (n % 30);
    int month = 1 + (int) ((n / 30) % 12);
    int day = 1 + (int) ((n / 360) % 28);
    int seq = (int) ((n / 10080) % 1000);
    String first17 = String.format("320102%04d%02d%02d%03d", year, month, day, seq);
    String id = first17 + IdNumbers.checkCharacter(first17);
    ISSUED.add(id);
    return id;
  }

  /** A fresh mainland mobile number. */
  public static String phone() {
    String p = String.format("139%08d", PHONES.incrementAndGet() % 100_000_000);
    ISSUED.add(p);
    return p;
  }
}
