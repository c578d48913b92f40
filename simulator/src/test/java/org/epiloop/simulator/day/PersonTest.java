package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.epiloop.simulator.data.ChineseNames;
import org.epiloop.simulator.data.IdNumberGenerator;
import org.junit.jupiter.api.Test;

/** The packed state of a resident reads back exactly what was given. */
class PersonTest {

  @Test
  void idNumbersAndNamesReadBackAsGiven() {
    IdNumberGenerator ids = new IdNumberGenerator(42);
    SplittableRandom r = new SplittableRandom(7);
    boolean sawX = false;
    for (int i = 0; i < 20_000; i++) {
      String id = ids.number(i);
      String name = ChineseNames.next(r);
      Person p = new Person(i, id, name, 0, false, false);
      assertEquals(id, p.idNumber());
      assertEquals(name, p.name());
      assertTrue(Person.packId(id) >= 0, id);
      sawX |= id.endsWith("X");
    }
    assertTrue(sawX, "an ID number with the check character X was tried");
    for (String id : List.of("000000000000000000", "99999999999999999X", "01234567890123456X")) {
      assertEquals(id, new Person(0, id, "王", 0, false, false).idNumber());
    }
  }

  @Test
  void whatCannotBePackedIsKeptAsText() {
    for (String id : List.of("id1", "12345678901234567x", "1234567890123456789", "A23456789012345678", "")) {
      assertEquals(-1, Person.packId(id), id);
      assertEquals(id, new Person(0, id, "x", 0, false, false).idNumber());
    }
    assertNull(new Person(0, null, null, 0, false, false).idNumber());
    assertNull(new Person(0, null, null, 0, false, false).name());
    for (String name : List.of("欧阳修远", "name0", "", "a", "\uffff\u0000\uffff")) {
      assertEquals(name, new Person(0, "id", name, 0, false, false).name());
    }
  }

  @Test
  void bindingsAreDistinctByIdAndTubesKeepTheirOrder() {
    Person p = new Person(0, "110101199003077777", "张三", 0, false, false);
    Tube a = new Tube("A", 0, 10, false);
    Tube b = new Tube("B", 0, 1, true);
    assertFalse(p.sampled());
    assertNull(p.latestTube());
    assertNull(p.firstSampledAt());
    String id = UUID.randomUUID().toString();
    assertTrue(p.bound(id, a));
    Instant first = p.firstSampledAt();
    assertTrue(first != null);
    assertFalse(p.bound(id, a), "a replay of the same binding");
    assertTrue(p.bound(id.toUpperCase(), b), "another text is another binding id");
    assertFalse(p.bound(id.toUpperCase(), b));
    assertTrue(p.bound("not-a-uuid", b));
    assertTrue(p.bound(null, b));
    assertFalse(p.bound(null, b));
    assertTrue(p.bound(UUID.randomUUID().toString(), a));
    assertEquals(5, p.bindings());
    assertEquals(List.of(a, b, b, b, a), p.tubes());
    assertSame(a, p.latestTube());
    assertEquals(first, p.firstSampledAt(), "the first sampling stays");
  }

  @Test
  void timesKeepTheirNanoseconds() {
    Person p = new Person(0, "id", "n", 0, false, false);
    assertNull(p.finalAt());
    Instant t = Instant.parse("2022-04-01T02:00:00.123456789Z");
    p.finalAt(t);
    assertEquals(t, p.finalAt());
    p.finalAt(Instant.EPOCH.minusNanos(1));
    assertEquals(Instant.EPOCH.minusNanos(1), p.finalAt());
    p.finalAt(null);
    assertNull(p.finalAt());
  }
}
