package org.epiloop.simulator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdNumberGeneratorTest {

  private static final LocalDate TODAY = LocalDate.now();

  /** An independent MOD 11-2 check, written out from the standard rather than shared with the generator. */
  private static char expectedCheck(String n) {
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += Character.digit(n.charAt(i), 10) * w[i];
    }
    return "10X98765432".charAt(sum % 11);
  }

  @Test
  void knownNumbers() {
    // Published examples of valid mainland numbers.
    assertEquals('X', IdNumbers.checkCharacter("11010519491231002"));
    assertTrue(IdNumbers.isValid("11010519491231002X", TODAY));
    assertEquals('4', IdNumbers.checkCharacter("44052418800101001"));
    assertFalse(IdNumbers.isValid("440524188001010014", TODAY), "born before 1900: the server refuses it too");
    assertFalse(IdNumbers.isValid("110105194912310021", TODAY), "wrong check character");
    assertFalse(IdNumbers.isValid("110105194902310027", TODAY), "31 February");
  }

  @Test
  void millionNumbersAreValidAndDistinct() {
    IdNumberGenerator g = new IdNumberGenerator(new SplittableRandom().nextLong());
    Set<String> seen = new HashSet<>(2_000_000);
    LocalDate first = LocalDate.of(1940, 1, 1);
    LocalDate last = LocalDate.of(2015, 12, 31);
    for (int i = 0; i < 1_000_000; i++) {
      String n = g.next();
      assertEquals(18, n.length(), n);
      assertTrue(n.chars().limit(17).allMatch(Character::isDigit), n);
      assertNotEquals('0', n.charAt(0), n);
      assertEquals(expectedCheck(n), n.charAt(17), n);
      assertTrue(IdNumbers.isValid(n, TODAY), n);
      LocalDate born = IdNumbers.birthDate(n);
      assertFalse(born.isBefore(first) || born.isAfter(last), n);
      assertTrue(seen.add(n), "repeated: " + n);
    }
    assertEquals(1_000_000, g.issued());
  }

  @Test
  void concurrentCallersNeverShareANumber() throws InterruptedException {
    IdNumberGenerator g = new IdNumberGenerator(42);
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          seen.add(g.next());
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(400_000, seen.size());
  }

  @Test
  void crossesIntoTheNextRegionWithoutRepeating() {
    IdNumberGenerator g = new IdNumberGenerator(7);
    long m = IdNumberGenerator.SLOTS;
    Set<String> seen = new HashSet<>();
    for (long n = m - 1000; n < m + 1000; n++) {
      String id = g.number(n);
      assertTrue(IdNumbers.isValid(id, TODAY), id);
      assertTrue(seen.add(id), id);
    }
    assertNotEquals(g.number(m - 1).substring(0, 6), g.number(m).substring(0, 6));
  }

  @Test
  void differentRunsUseDifferentNumbers() {
    Set<String> a = new HashSet<>();
    IdNumberGenerator g1 = new IdNumberGenerator(1);
    IdNumberGenerator g2 = new IdNumberGenerator(2);
    for (int i = 0; i < 100_000; i++) {
      a.add(g1.next());
    }
    for (int i = 0; i < 100_000; i++) {
      assertFalse(a.contains(g2.next()));
    }
  }

  @Test
  void namesAreTwoOrThreeChineseCharacters() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      String name = ChineseNames.next(r);
      assertTrue(name.length() == 2 || name.length() == 3, name);
      assertTrue(name.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN), name);
    }
  }
}
