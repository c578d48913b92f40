package org.epiloop.simulator.ceiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.epiloop.simulator.ceiling.CeilingReport.Row;
import org.epiloop.simulator.ceiling.CeilingReport.Scenario;
import org.epiloop.simulator.ceiling.CeilingReport.Window;
import org.junit.jupiter.api.Test;

class CeilingReportTest {

  private static final Scenario PING = new Scenario("bare-ping", "ping", null, Double.NaN, Double.NaN);
  private static final Scenario BARE_STATIC = new Scenario("bare-static", "bare static", null, Double.NaN, Double.NaN);
  private static final Scenario BIND = new Scenario("bindings", "bind", null, 0.35, 50);
  private static final Scenario STATIC = new Scenario("static", "static", "bare-static", Double.NaN, Double.NaN);

  private static Window w(long ok, double seconds, double p99) {
    return new Window(ok, 0, seconds, p99 / 2, p99, null, null);
  }

  @Test
  void medianOfOddEvenAndNaN() {
    assertEquals(3.0, CeilingReport.median(5, 1, 3));
    assertEquals(2.5, CeilingReport.median(4, 1, 3, 2));
    assertEquals(2.0, CeilingReport.median(Double.NaN, 2));
    assertTrue(Double.isNaN(CeilingReport.median()));
  }

  @Test
  void ratiosAreTakenPerRoundThenTheMedian() {
    // round 1 is noisy for both sides; the per-round ratios are 0.4, 0.2 (the odd round) and 0.4
    List<Map<String, Window>> rounds = List.of(
        Map.of("bare-ping", w(10_000, 10, 1), "bindings", w(4_000, 10, 40)),
        Map.of("bare-ping", w(5_000, 10, 1), "bindings", w(1_000, 10, 80)),
        Map.of("bare-ping", w(8_000, 10, 1), "bindings", w(3_200, 10, 45)));
    List<Row> rows = CeilingReport.rows(List.of(PING, BIND), rounds);
    Row bind = rows.get(1);
    assertEquals(3, bind.rounds());
    assertEquals(320.0, bind.rate(), 1e-9);
    assertEquals(0.4, bind.ratio(), 1e-9);
    assertEquals(45.0, bind.p99Ms(), 1e-9);
    assertEquals(Boolean.TRUE, bind.met());
    assertEquals(1.0, rows.get(0).ratio(), 1e-9);
    assertNull(rows.get(0).met());
  }

  @Test
  void aTargetIsMissedOnTheRatioOrOnTheP99() {
    Row slow = CeilingReport.rows(List.of(PING, BIND), List.of(Map.of("bare-ping", w(1000, 1, 1), "bindings", w(500, 1, 60)))).get(1);
    assertEquals(0.5, slow.ratio(), 1e-9);
    assertFalse(slow.met(), "p99 60 ms is over 50 ms");
    Row few = CeilingReport.rows(List.of(PING, BIND), List.of(Map.of("bare-ping", w(1000, 1, 1), "bindings", w(300, 1, 10)))).get(1);
    assertFalse(few.met(), "0.30 is under 0.35");
    assertTrue(CeilingReport.table(List.of(few), Map.of()).contains("**missed**"));
  }

  @Test
  void theStaticFileIsAlsoComparedWithItsBareTwinAndCpuIsPerRequest() {
    Map<String, Window> round = Map.of(
        "bare-ping", w(20_000, 2, 1),
        "bare-static", w(8_000, 2, 2),
        "static", new Window(4_000, 3, 2, 1, 3, 2_000_000_000L, null));
    Row row = CeilingReport.rows(List.of(PING, BARE_STATIC, STATIC), List.of(round)).get(2);
    assertEquals(0.2, row.ratio(), 1e-9);
    assertEquals(0.5, row.ratioToBaseline(), 1e-9);
    assertEquals(500.0, row.jvmMicros(), 1e-9, "2 s of CPU over 4,000 requests");
    assertTrue(Double.isNaN(row.dbMicros()));
    assertEquals(3, row.errors());
    String table = CeilingReport.table(List.of(row), CeilingReport.labels(List.of(PING, BARE_STATIC, STATIC)));
    assertTrue(table.contains("| static | 1 | 2,000 | 1.0 | 3.0 | 0.20 | 0.50 (bare static) |  | 500 | – | 3 |"), table);
  }

  @Test
  void aScenarioMissingFromARoundIsLeftOutOfThatRound() {
    List<Map<String, Window>> rounds = List.of(
        Map.of("bare-ping", w(1000, 1, 1), "bindings", w(400, 1, 10)),
        Map.of("bare-ping", w(1000, 1, 1)),
        Map.of("bare-ping", w(1000, 1, 1), "bindings", w(0, 0, Double.NaN)));
    Row bind = CeilingReport.rows(List.of(PING, BIND), rounds).get(1);
    assertEquals(1, bind.rounds());
    assertEquals(0.4, bind.ratio(), 1e-9);
    Row none = CeilingReport.rows(List.of(PING, BIND), List.of(Map.of("bindings", w(400, 1, 10)))).get(1);
    assertTrue(Double.isNaN(none.ratio()), "no bare /ping in the round: no ratio");
  }
}
