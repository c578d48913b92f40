package org.epiloop.simulator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.api.ApiResponse;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void countsByRequestAndKeyWithTheFirstExample() {
    Errors e = new Errors();
    e.add("scan", new ApiResponse(409, MissingNode.getInstance(), "RECEIPT_CLOSED", "closed"), "tube t1");
    e.add("scan", new ApiResponse(409, MissingNode.getInstance(), "RECEIPT_CLOSED", "closed again"), "tube t2");
    e.add("scan", "200 UNEXPECTED", "tube t3");
    e.add("close", new ApiResponse(500, MissingNode.getInstance(), null, null), null);
    assertEquals(4, e.total());
    List<Errors.Line> lines = e.lines();
    assertEquals(3, lines.size());
    assertEquals(new Errors.Line("close", "500 -", 1, null), lines.get(0));
    assertEquals(new Errors.Line("scan", "200 UNEXPECTED", 1, "tube t3"), lines.get(1));
    assertEquals(new Errors.Line("scan", "409 RECEIPT_CLOSED", 2, "tube t1: closed"), lines.get(2));
  }

  @Test
  void errorTableEscapesPipes() {
    Errors e = new Errors();
    e.add("scan", "200 UNEXPECTED", "a|b");
    Md md = new Md();
    md.errors(e.lines());
    assertTrue(md.toString().contains("| scan | 200 UNEXPECTED | 1 | a\\|b |"), md.toString());
    Md none = new Md();
    none.errors(List.of());
    assertEquals("None.\n", none.toString());
  }

  @Test
  void latencyRowsAreInMilliseconds() {
    Histogram h = new Histogram(Latency.HIGHEST_MICROS, 3);
    for (int i = 1; i <= 100; i++) {
      h.recordValue(i * 20L); // 0.02..2 ms, exact in the histogram's buckets
    }
    String row = Md.latencyRow("x", h);
    assertTrue(row.startsWith("| x | 100 | 1.01 | 1.00 | 1.80 | 1.98 | 2.00 | 2.00 |"), row);
    assertEquals("| y | 0 | – | – | – | – | – | – |", Md.latencyRow("y", new Histogram(3)));
  }
}
