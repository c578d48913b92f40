package org.epiloop.simulator.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.lab.Errors;
import org.junit.jupiter.api.Test;

class DashBenchReportTest {

  /** Latencies in µs; below 2048 µs HdrHistogram (3 significant digits) keeps them exact. */
  private static Histogram micros(long... us) {
    Histogram h = new Histogram(600_000_000L, 3);
    for (long u : us) {
      h.recordValue(u);
    }
    return h;
  }

  @Test
  void rowMarksTheP99AgainstTheTarget() {
    long[] fast = new long[100];
    java.util.Arrays.fill(fast, 1000);
    assertEquals("| labs | 100 | 100 | 10.0 | none | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 | yes |",
        DashBenchReport.row("labs", 100, micros(fast), 10, "none", 1.5));
    long[] slow = new long[100];
    java.util.Arrays.fill(slow, 1000);
    slow[98] = 2000;
    slow[99] = 2000;
    assertEquals("| sites | 102 | 100 | 10.0 | 500 -: 2 | 1.02 | 1.00 | 1.00 | **2.00** | 2.00 | **NO** |",
        DashBenchReport.row("sites", 102, micros(slow), 10, "500 -: 2", 1.5));
  }

  @Test
  void rowWithoutSuccessesHasNoLatency() {
    assertEquals("| summary | 40 | 0 | 0 | 404 -: 40 | – | – | – | – | – | n/a |",
        DashBenchReport.row("summary", 40, micros(), 10, "404 -: 40", 100));
  }

  @Test
  void errorsAreSummarisedPerEndpointByStatus() {
    Errors e = new Errors();
    e.add("summary", new ApiResponse(404, MissingNode.getInstance(), null, "No static resource"), null);
    e.add("summary", new ApiResponse(404, MissingNode.getInstance(), null, null), null);
    e.add("labs", new ApiResponse(403, MissingNode.getInstance(), "OUT_OF_SCOPE", null), null);
    e.add("labs", ApiResponse.transportFailure(new java.net.http.HttpTimeoutException("timed out")), null);
    Map<String, Map<String, Long>> by = DashBenchReport.errorsByEndpoint(e);
    assertEquals("403 OUT_OF_SCOPE: 1, IO HttpTimeoutException: 1", DashBenchReport.summary(by.get("labs")));
    assertEquals("404 -: 2", DashBenchReport.summary(by.get("summary")));
    assertEquals("none", DashBenchReport.summary(by.get("alerts")));
  }

  @Test
  void jsonBodiesAreObjectsOrArrays() {
    assertTrue(DashBench.looksLikeJson(" \n[]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(DashBench.looksLikeJson("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(DashBench.looksLikeJson("<html>".getBytes(StandardCharsets.UTF_8)));
    assertFalse(DashBench.looksLikeJson(new byte[0]));
  }

  @Test
  void wholeReport() {
    DashBench.Result r = new DashBench.Result();
    r.config = new DashBench.Config("http://localhost:8097", "pw", "official1", "epiloop-demo", null, null, 4, 10, 60, 0, 30, 100, null,
        "java -jar epiloop-simulator.jar dash-bench --admin-password ***");
    r.userNote = "logged in as `official1`";
    r.district = "dl-abc-d01";
    for (DashEndpoints.Endpoint ep : DashEndpoints.all(r.district)) {
      r.endpoints.add(new DashBench.EndpointStats(ep));
    }
    DashBench.EndpointStats alerts = r.endpoints.get(9);
    alerts.ok.record(0, 2_000_000);
    alerts.ok.record(0, 1_000_000);
    alerts.measured.add(2);
    DashBench.EndpointStats summary = r.endpoints.get(0);
    summary.measured.add(3);
    for (int i = 0; i < 3; i++) {
      r.errors.add("summary", new ApiResponse(404, MissingNode.getInstance(), null, "No static resource api/v1/dashboard/summary."), null);
    }
    r.warmupErrors.add("summary", new ApiResponse(404, MissingNode.getInstance(), null, null), null);
    r.measuredFrom = Instant.parse("2026-11-22T03:00:00Z");
    r.measuredTo = Instant.parse("2026-11-22T03:01:00Z");
    r.measuredSeconds = 60;
    String md = DashBenchReport.markdown(r);
    assertTrue(md.startsWith("# Epiloop dash-bench report\n"), md);
    assertTrue(md.contains("| `summary` `GET /api/v1/dashboard/summary` | 3 | 0 | 0 | 404 -: 3 | – | – | – | – | – | n/a |"), md);
    assertTrue(md.contains("| `alerts` `GET /api/v1/dashboard/alerts` | 2 | 2 | 0.0 | none | 1.50 | 1.00 | 2.00 | 2.00 | 2.00 | yes |"),
        md);
    assertTrue(md.contains("| **all endpoints** | 5 | 2 | 0.0 | 3 (see below) |"), md);
    assertTrue(md.contains("| summary | 404 - | 3 | No static resource api/v1/dashboard/summary. |"), md);
    assertTrue(md.contains("In the warm-up: summary 404 -: 1."), md);
    assertTrue(md.contains("district views for `dl-abc-d01`"), md);
    assertTrue(md.contains("## Resources (measured window)\n\nNot sampled."), md);
  }
}
