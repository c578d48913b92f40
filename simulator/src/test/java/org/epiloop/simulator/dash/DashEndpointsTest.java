package org.epiloop.simulator.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashEndpointsTest {

  @Test
  void allEndpointsCityWideAndForTheDistrict() {
    List<DashEndpoints.Endpoint> all = DashEndpoints.all("dl-abc-d01");
    assertEquals(DashEndpoints.NAMES, all.stream().map(DashEndpoints.Endpoint::name).toList());
    assertEquals("/api/v1/dashboard/summary", all.get(0).path());
    assertEquals("/api/v1/dashboard/summary?districtCode=dl-abc-d01", all.get(1).path());
    assertEquals("/api/v1/dashboard/sites?districtCode=dl-abc-d01", all.get(5).path());
    assertEquals("/api/v1/dashboard/trend?districtCode=dl-abc-d01", all.get(7).path());
    assertEquals("/api/v1/dashboard/alerts", all.get(9).path());
  }

  @Test
  void districtCodesAreUrlEncoded() {
    assertEquals("/api/v1/dashboard/summary?districtCode=A+B%26C", DashEndpoints.all("A B&C").get(1).path());
  }

  @Test
  void selectionKeepsReportOrderAndRejectsUnknownNames() {
    assertEquals(List.of("summary", "labs", "alerts"),
        DashEndpoints.select("d", " alerts,summary ,labs").stream().map(DashEndpoints.Endpoint::name).toList());
    assertEquals(10, DashEndpoints.select("d", null).size());
    assertEquals(10, DashEndpoints.select("d", " ").size());
    assertThrows(IllegalArgumentException.class, () -> DashEndpoints.select("d", "summary,labz"));
    assertThrows(IllegalArgumentException.class, () -> DashEndpoints.select("d", ","));
  }

  @Test
  void eachClientCyclesThroughEveryEndpointFromItsOwnOffset() {
    int n = 7;
    for (int client = 0; client < 10; client++) {
      List<Integer> seen = new ArrayList<>();
      for (long r = 0; r < n; r++) {
        seen.add(DashEndpoints.pick(client, r, n));
      }
      assertEquals(client % n, seen.get(0));
      assertEquals(n, seen.stream().distinct().count(), "client " + client + " " + seen);
      assertEquals(seen.get(0), DashEndpoints.pick(client, n, n));
    }
  }

  @Test
  void clientsAskingAtOnceAreSpreadOverTheEndpoints() {
    // 4 clients on 7 endpoints: in every round the 4 requests go to 4 different endpoints
    for (long r = 0; r < 20; r++) {
      Map<Integer, Integer> hits = new HashMap<>();
      for (int client = 0; client < 4; client++) {
        hits.merge(DashEndpoints.pick(client, r, 7), 1, Integer::sum);
      }
      assertEquals(4, hits.size());
    }
    assertEquals(2, DashEndpoints.pick(0, Long.MAX_VALUE - 5, 7), "no overflow to a negative index");
  }
}
