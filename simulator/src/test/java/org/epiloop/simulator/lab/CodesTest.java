package org.epiloop.simulator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodesTest {

  @Test
  void everyCodeFollowsTheServersRules() {
    Random r = new Random(42);
    for (int i = 0; i < 200; i++) {
      String prefix = Codes.randomPrefix(r);
      assertTrue(prefix.matches("[a-z][a-z0-9]{5}"), prefix);
      for (String kind : List.of("rb", "lb")) {
        Codes c = new Codes(kind, prefix);
        assertTrue(Codes.DIRECTORY.matcher(c.district()).matches(), c.district());
        assertTrue(Codes.DIRECTORY.matcher(c.site(1)).matches(), c.site(1));
        assertTrue(Codes.DIRECTORY.matcher(c.site(99)).matches(), c.site(99));
        assertTrue(Codes.DIRECTORY.matcher(c.lab()).matches(), c.lab());
        for (char role : new char[] {'c', 'k', 't', 'r'}) {
          assertTrue(Codes.USERNAME.matcher(c.user(role, 1)).matches(), c.user(role, 1));
          assertTrue(Codes.USERNAME.matcher(c.user(role, 99)).matches(), c.user(role, 99));
        }
        for (long n : new long[] {0, 1, 59_999, 1_000_000, Long.MAX_VALUE}) {
          assertTrue(Codes.TUBE_OR_BOX.matcher(c.tube(n)).matches(), c.tube(n));
          assertTrue(Codes.TUBE_OR_BOX.matcher(c.box(n)).matches(), c.box(n));
          assertTrue(Codes.TUBE_OR_BOX.matcher(c.plate(n)).matches(), c.plate(n));
        }
      }
    }
  }

  @Test
  void codesCarryThePrefixAndDoNotCollide() {
    Codes c = new Codes("rb", "abc123");
    assertEquals("rb-abc123", c.district());
    assertEquals("rb-abc123-s03", c.site(3));
    assertEquals("rb-abc123-lab", c.lab());
    assertEquals("rb-abc123-t12", c.user('t', 12));
    assertEquals("tabc123-z", c.tube(35));
    assertEquals("babc123-10", c.box(36));
    assertNotEquals(c.tube(1), c.box(1));
    assertNotEquals(c.tube(1), new Codes("rb", "abc124").tube(1));
  }
}
