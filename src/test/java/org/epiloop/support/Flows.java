package org.epiloop.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Steps of the sampling-to-lab loop through the API, shared by tests of later stages. */
public final class Flows {

  private Flows() {}

  /** A sealed tube of `persons` fresh persons; returns the tube code and their ID numbers. */
  public record FilledTube(String tubeCode, List<String> idNumbers) {}

  public static FilledTube fillTube(Api collector, String tubeCode, int persons) {
    int capacity = persons <= 1 ? 1 : persons <= 5 ? 5 : persons <= 10 ? 10 : 20;
    ok(collector.post("/api/v1/tubes", Api.obj("tubeCode", tubeCode, "capacity", capacity)), 201);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < persons; i++) {
      String id = Ids.next();
      ids.add(id);
      ok(collector.scan("/api/v1/tubes/" + tubeCode + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id, "name", "测试" + i)), 201);
    }
    if (persons < capacity) {
      ok(collector.post("/api/v1/tubes/" + tubeCode + "/seal", Map.of()), 200);
    }
    return new FilledTube(tubeCode, ids);
  }

  /** Packs sealed tubes into a new box, seals it, and a courier delivers it to the lab. */
  public static void ship(Api collector, Api courier, String boxCode, String labCode, List<String> tubeCodes) {
    ok(collector.post("/api/v1/boxes", Api.obj("boxCode", boxCode)), 201);
    for (String t : tubeCodes) {
      ok(collector.post("/api/v1/boxes/" + boxCode + "/tubes", Map.of("tubeCode", t)), 200);
    }
    ok(collector.post("/api/v1/boxes/" + boxCode + "/seal", Map.of()), 200);
    ok(courier.post("/api/v1/boxes/" + boxCode + "/handover", Map.of("labCode", labCode)), 200);
    ok(courier.post("/api/v1/boxes/" + boxCode + "/arrival", Map.of("labCode", labCode)), 200);
  }

  /** Opens the box at the lab and checks every listed tube in. */
  public static void receive(Api tech, String labCode, String boxCode, List<String> tubeCodes) {
    ok(tech.post("/api/v1/labs/" + labCode + "/receipts", Map.of("boxCode", boxCode)), 200);
    for (String t : tubeCodes) {
      ok(tech.post("/api/v1/labs/" + labCode + "/receipts/" + boxCode + "/tubes", Map.of("tubeCode", t)), 200);
    }
    ok(tech.post("/api/v1/labs/" + labCode + "/receipts/" + boxCode + "/close", Map.of()), 200);
  }

  /**
   * Takes a sealed single tube through the lab up to a positive result, stopping before the
   * release; returns the run, for {@code reviewer.post("/api/v1/runs/" + run + "/approval")}
   * to release it (a CRITICAL_RESULT follows).
   */
  public static String positiveUpToRelease(Api collector, Api courier, Api tech, String labCode, String tubeCode, String boxCode,
      String plateCode) {
    ship(collector, courier, boxCode, labCode, List.of(tubeCode));
    receive(tech, labCode, boxCode, List.of(tubeCode));
    Map<String, String> layout = Plates.layout(List.of(tubeCode));
    String run = ok(tech.post("/api/v1/labs/" + labCode + "/runs", Map.of("plateCode", plateCode, "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, java.util.Set.of(tubeCode), false)), 200);
    return run;
  }

  static Api.Res ok(Api.Res r, int expected) {
    if (r.status() != expected) {
      throw new AssertionError("expected " + expected + " but got " + r);
    }
    return r;
  }
}
