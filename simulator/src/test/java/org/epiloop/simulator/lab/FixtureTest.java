package org.epiloop.simulator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FixtureTest {

  @Test
  void chunksAreInOrderAndAtMostTheSize() {
    List<Integer> items = IntStream.range(0, 250).boxed().toList();
    List<List<Integer>> c = Fixture.chunks(items, 100);
    assertEquals(3, c.size());
    assertEquals(100, c.get(0).size());
    assertEquals(100, c.get(1).size());
    assertEquals(50, c.get(2).size());
    assertEquals(0, c.get(0).get(0));
    assertEquals(249, c.get(2).get(49));
    assertEquals(List.of(), Fixture.chunks(List.of(), 10));
    assertEquals(List.of(List.of(1, 2)), Fixture.chunks(List.of(1, 2), 100));
    assertThrows(IllegalArgumentException.class, () -> Fixture.chunks(items, 0));
  }
}
