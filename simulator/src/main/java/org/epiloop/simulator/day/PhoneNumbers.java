package org.epiloop.simulator.day;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh mainland mobile numbers for resident accounts: 11 digits, {@code 1} then 3–9, never
 * repeated within a run (a bijection {@code n → (offset + n·stride) mod 7·10⁹}) and, with a
 * per-run offset and stride, practically never repeated across runs, so the one-time-code rate
 * limit of a phone (one a minute, five an hour) never bites.
 */
final class PhoneNumbers {

  static final long SPACE = 7_000_000_000L;

  private final long offset;
  private final long stride;
  private final AtomicLong counter = new AtomicLong();

  PhoneNumbers(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    offset = r.nextLong(SPACE);
    long s;
    do {
      s = 1 + r.nextLong(SPACE - 1);
    } while (gcd(s, SPACE) != 1);
    stride = s;
  }

  String next() {
    return number(counter.getAndIncrement());
  }

  /** The n-th number (a pure function of the seed and n). */
  String number(long n) {
    long v = (offset + mulMod(n % SPACE, stride, SPACE)) % SPACE;
    long second = 3 + v / 1_000_000_000L;
    return "1" + second + String.format("%09d", v % 1_000_000_000L);
  }

  private static long mulMod(long a, long b, long m) {
    // a, b < 7e9 < 2^33: the product may overflow a long, so multiply in two halves
    long hi = a >>> 16;
    long lo = a & 0xFFFF;
    return ((hi * b % m) * 65536 % m + lo * b % m) % m;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
