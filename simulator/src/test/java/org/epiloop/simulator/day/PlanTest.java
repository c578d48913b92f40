package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlanTest {

  @Test
  void dorfmanIsOneOverKPlusTheChanceThatThePoolIsPositive() {
    assertEquals(1.0, Plan.dorfman(1, 0.2), 1e-12, "a single tube is one test whatever the prevalence");
    assertEquals(0.1 + 1 - Math.pow(0.9999, 10), Plan.dorfman(10, 0.0001), 1e-12);
    assertEquals(0.2 + 1 - Math.pow(0.99, 5), Plan.dorfman(5, 0.01), 1e-12);
    assertEquals(0.05, Plan.dorfman(20, 0.0), 1e-12, "nobody infected: one test per pool");
    assertThrows(IllegalArgumentException.class, () -> Plan.dorfman(0, 0.1));
  }

  @Test
  void bestPoolSizeFollowsThePrevalence() {
    // at 1 in 10,000 the optimum (about 1/sqrt(p) = 100) lies beyond 32: the largest pool wins
    assertEquals(32, Plan.bestUpTo32(0.0001).pool());
    assertEquals(20, Plan.best(0.0001, Plan.CAPACITIES).pool());
    // at 1 % the optimum is 11 (E = 0.19557), 10 a hair behind (0.19562)
    assertEquals(11, Plan.bestUpTo32(0.01).pool());
    assertEquals(10, Plan.best(0.01, Plan.CAPACITIES).pool());
    // at 5 %: 5 (0.4262) beats 4 and 6
    assertEquals(5, Plan.bestUpTo32(0.05).pool());
    // above ~31 % pooling does not pay
    assertEquals(1, Plan.bestUpTo32(0.35).pool());
    assertEquals(1, Plan.best(0.35, Plan.CAPACITIES).pool());
    for (int k = 1; k <= 32; k++) {
      assertTrue(Plan.dorfman(k, 0.01) >= Plan.bestUpTo32(0.01).testsPerPerson() - 1e-12);
    }
  }

  @Test
  void aCityOfSixMillionInADay() {
    Plan.Result r = Plan.compute(Plan.Input.defaults(6_000_000));
    // last sample: 3 h to the lab + 2.5 h run, and once more for the retest of its pool
    assertEquals(11.0, r.lastMileHours(), 1e-9);
    assertEquals(13.0, r.samplingHours(), 1e-9);
    assertEquals((long) Math.ceil(6_000_000 / (200 * 13.0)), r.terminals());
    assertEquals((r.terminals() + 5) / 6, r.sites());
    assertEquals(300_000, r.singlePersons());
    assertEquals(5_700_000, r.pooledPersons());
    assertEquals(570_000, r.pooledTubes());
    assertEquals(570_000 * (1 - Math.pow(0.9999, 10)), r.positivePools(), 1e-6);
    assertEquals(r.positivePools() * 10, r.retestTubes(), 1e-6);
    assertEquals(570_000 + 300_000 + r.retestTubes(), r.tubes(), 1e-6);
    assertEquals(r.tubes() / 6_000_000, r.testsPerPerson(), 1e-12);
    assertEquals(Math.ceil(870_000 / 94.0) + Math.ceil(r.retestTubes() / 94), r.runs(), 1e-9);
    // a lab works from the first arrivals (half a trip in) to the deadline: 23.5 h / 2.5 h = 9 runs per instrument
    assertEquals(9, r.runsPerInstrument(), 1e-9);
    assertEquals((long) Math.ceil(r.runs() / 9), r.instruments());
    assertEquals((r.instruments() + 7) / 8, r.labs());
    assertEquals(6_000_000 / (13.0 * 3600), r.scansPerSecond(), 1e-9);
    // couriers: boxes per hour / 4 per trip, or each site visited every 2.5 h, whichever needs more trips; a trip takes 1 h
    double boxesPerHour = 870_000 / 13.0 / 50;
    double trips = Math.max(boxesPerHour / 4, r.sites() / 2.5);
    assertEquals(Math.ceil(trips), r.couriers(), 1e-9);
    String md = Plan.markdown(r);
    assertTrue(md.contains("Best pool size over 1..32: **32**"), md);
    assertTrue(md.contains("Best among the tube sizes 1, 5, 10, 20: **20**"), md);
  }

  @Test
  void singleTubesNeedNoRetestCycle() {
    Plan.Input in = new Plan.Input(100_000, 1, 0.05, 0.01, 12, null, 200, 6, 50, 60, 4, 3, 150, 8, 0);
    Plan.Result r = Plan.compute(in);
    assertEquals(5.5, r.lastMileHours(), 1e-9);
    assertEquals(100_000, r.singleTubes());
    assertEquals(0, r.retestTubes(), 1e-12);
    assertEquals(1.0, r.testsPerPerson(), 1e-12);
  }

  @Test
  void aDeadlineTooShortIsRefused() {
    Plan.Input in = new Plan.Input(100_000, 10, 0.05, 0.0001, 10, null, 200, 6, 50, 60, 4, 3, 150, 8, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plan.compute(in));
    assertTrue(e.getMessage().contains("no time to sample"), e.getMessage());
    Plan.Input badPool = new Plan.Input(100_000, 7, 0.05, 0.0001, 24, null, 200, 6, 50, 60, 4, 3, 150, 8, 0);
    assertThrows(IllegalArgumentException.class, () -> Plan.compute(badPool));
  }

  @Test
  void theCheckingDayKeepsThePlansShapeAtASmallerScale() {
    Plan.Result r = Plan.compute(Plan.Input.defaults(6_000_000));
    DayOptions o = PlanCommand.dayOptions(r, 20_000, 32);
    assertEquals(20_000, o.persons);
    assertEquals(6, o.collectorsPerSite);
    // 385 sites for 6 million scale to 1.3 sites for 20,000: one site of 6 terminals
    assertEquals(Math.max(1, Math.round(r.sites() * 20_000 / 6_000_000.0)), o.sites);
    DayOptions big = PlanCommand.dayOptions(r, 2_000_000, 32);
    assertEquals(5, big.sites, "32 terminals at most: 5 sites of 6");
    assertTrue(o.couriers >= 1 && o.labs >= 1);
    assertEquals(10, o.pool);
    assertTrue(o.problems().stream().noneMatch(p -> !p.contains("admin-password")), o.problems().toString());
  }
}
