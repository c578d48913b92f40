package org.epiloop.simulator.data;

import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates valid, never-repeating mainland ID numbers from a global counter.
 *
 * <p>Number {@code n} maps to a slot in the space (birth date 1940-01-01..2015-12-31) x (sequence
 * 000..999) of one region code: {@code slot = (offset + n * stride) mod M}, with the stride coprime to
 * {@code M}, so the mapping is a bijection and no two counters give the same number. After {@code M}
 * numbers the next region code is used. The run seed picks the first region code (from ~60,000
 * plausible codes: a real province prefix, a city 01–20, a county 01–99), the offset and the stride,
 * so repeated runs against the same server almost never produce the same person.
 */
public final class IdNumberGenerator {

  /** Real province-level prefixes (11 Beijing … 65 Xinjiang). */
  private static final int[] PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
      45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
  private static final int CITIES = 20;
  private static final int COUNTIES = 99;
  private static final long REGIONS = (long) PROVINCES.length * CITIES * COUNTIES;

  static final LocalDate FIRST_BIRTH = LocalDate.of(1940, 1, 1);
  static final LocalDate LAST_BIRTH = LocalDate.of(2015, 12, 31);
  private static final long FIRST_DAY = FIRST_BIRTH.toEpochDay();
  private static final long DAYS = LAST_BIRTH.toEpochDay() - FIRST_DAY + 1;
  private static final long SEQUENCES = 1000;
  /** Numbers per region code. */
  static final long SLOTS = DAYS * SEQUENCES;

  private final long firstRegion;
  private final long offset;
  private final long stride;
  private final AtomicLong counter = new AtomicLong();

  public IdNumberGenerator(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    this.firstRegion = random.nextLong(REGIONS);
    this.offset = random.nextLong(SLOTS);
    long s;
    do {
      s = 1 + random.nextLong(SLOTS - 1);
    } while (gcd(s, SLOTS) != 1);
    this.stride = s;
  }

  /** The next number; safe to call from many threads. */
  public String next() {
    return number(counter.getAndIncrement());
  }

  /** How many numbers have been handed out. */
  public long issued() {
    return counter.get();
  }

  /** The {@code n}-th number of this generator (a pure function of the seed and {@code n}). */
  public String number(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0");
    }
    long regionIndex = (firstRegion + n / SLOTS) % REGIONS;
    long slot = (offset + mulMod(n % SLOTS, stride, SLOTS)) % SLOTS;
    LocalDate born = LocalDate.ofEpochDay(FIRST_DAY + slot / SEQUENCES);
    int sequence = (int) (slot % SEQUENCES);

    char[] c = new char[18];
    int region = region(regionIndex);
    put(c, 0, region, 6);
    put(c, 6, born.getYear(), 4);
    put(c, 10, born.getMonthValue(), 2);
    put(c, 12, born.getDayOfMonth(), 2);
    put(c, 14, sequence, 3);
    c[17] = IdNumbers.checkCharacter(new String(c, 0, 17));
    return new String(c);
  }

  static int region(long index) {
    int county = (int) (index % COUNTIES) + 1;
    int city = (int) ((index / COUNTIES) % CITIES) + 1;
    int province = PROVINCES[(int) (index / COUNTIES / CITIES)];
    return province * 10000 + city * 100 + county;
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static long mulMod(long a, long b, long m) {
    // a, b < m < 2^25, so a*b < 2^50: no overflow.
    return (a * b) % m;
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
