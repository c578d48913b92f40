package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The command centre's figures against a scenario built through the API, on a day of its own
 * (20–80 days ahead: other tests move the clock by at most 15 days while they sample, and the
 * test tokens live 90 days), with time moved by the
 * injected clock: sampling at 09:00, receipt at 09:40, release at 10:30, a second box received
 * and left waiting, then 12:10 with a lab backlog and an overdue box.
 */
class DashboardApiTest extends IntegrationTest {

  static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  /** A day no other test samples on. */
  private LocalDate freshDay() {
    return LocalDate.now(CITY).plusDays(20 + ThreadLocalRandom.current().nextInt(60));
  }

  /**
   * Moves the clock to hh:mm of a fresh day in whose hour before it no site of the city sampled: the
   * slow flag compares a site with every site of the city that sampled in the last hour, and other
   * tests move the shared clock to days of their own (early warning and fever clinics 61-84 days
   * ahead) and sample there, which moved the peers' median under this test once.
   */
  private void quietHour(int hour, int minute) {
    Api official = staff("OFFICIAL", null, null);
    for (int attempt = 0; attempt < 30; attempt++) {
      at(freshDay(), hour, minute);
      JsonNode city = ok(official.get("/api/v1/dashboard/sites"), 200).json();
      if (city.valueStream().allMatch(n -> n.path("sampledLastHour").asLong() == 0)) {
        return;
      }
    }
    throw new AssertionError("no fresh day without sampling in the hour before " + hour + ":" + minute);
  }

  private void at(LocalDate day, int hour, int minute) {
    Instant target = day.atTime(LocalTime.of(hour, minute)).atZone(CITY).toInstant();
    clock.advance(Duration.between(clock.instant(), target));
  }

  /**
   * Moves the clock on by whole minutes; the clock keeps running with real time, so the
   * seconds a step takes are carried along and differences stay whole minutes (floored).
   */
  private void later(int minutes) {
    clock.advance(Duration.ofMinutes(minutes));
  }

  @Test
  void figuresFollowTheLoop() {
    LocalDate day = freshDay();
    at(day, 9, 0);
    Corner c1 = corner();
    String district = c1.district();
    String lab = c1.lab();
    String site2 = unique("S");
    ok(admin().post("/api/v1/sites", Api.obj("code", site2, "name", "采样点二", "districtCode", district,
        "latitude", 33.95, "longitude", 118.30)), 201);
    Api col2 = staff("COLLECTOR", site2, null);
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, lab);
    Api reviewer = staff("LAB_REVIEWER", null, lab);
    Api official = staff("OFFICIAL", null, null);

    // 09:00 sampling: site 1 three pools of 10 and a single; site 2 a pool of 3 sealed by hand, a
    // single, and an open tube with 2 persons of whom one is unbound again
    List<String> site1Tubes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      site1Tubes.add(Flows.fillTube(c1.collector(), unique("T"), 10).tubeCode());
    }
    String single = Flows.fillTube(c1.collector(), unique("T"), 1).tubeCode();
    site1Tubes.add(single);
    String small = Flows.fillTube(col2, unique("T"), 3).tubeCode();
    String single2 = Flows.fillTube(col2, unique("T"), 1).tubeCode();
    String open = unique("T");
    ok(col2.post("/api/v1/tubes", Api.obj("tubeCode", open, "capacity", 5)), 201);
    String keep = ok(col2.scan("/api/v1/tubes/" + open + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "留")), 201).str("bindingId");
    String drop = ok(col2.scan("/api/v1/tubes/" + open + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "撤")), 201).str("bindingId");
    ok(col2.delete("/api/v1/tubes/" + open + "/bindings/" + drop + "?reason=" + java.net.URLEncoder.encode("扫错了", StandardCharsets.UTF_8)), 204);
    assertThat(keep).isNotBlank();

    String box1 = unique("B");
    String box2 = unique("B");
    String box3 = unique("B");
    Flows.ship(c1.collector(), courier, box1, lab, site1Tubes);
    Flows.ship(col2, courier, box2, lab, List.of(small));
    ok(col2.post("/api/v1/boxes", Api.obj("boxCode", box3)), 201);
    ok(col2.post("/api/v1/boxes/" + box3 + "/tubes", Map.of("tubeCode", single2)), 200);
    ok(col2.post("/api/v1/boxes/" + box3 + "/seal", Map.of()), 200);
    ok(courier.post("/api/v1/boxes/" + box3 + "/handover", Map.of("labCode", lab)), 200);

    JsonNode s = ok(official.get("/api/v1/dashboard/summary?districtCode=" + district + "&day=" + day), 200).json();
    assertThat(s.path("personsSampled").asLong()).isEqualTo(31 + 3 + 1 + 1);
    assertThat(s.path("tubesSealed").asLong()).isEqualTo(4 + 2);
    assertThat(s.path("boxesInTransit").asLong()).isEqualTo(3);
    assertThat(s.path("tubesReceived").asLong()).isZero();

    JsonNode sites = ok(official.get("/api/v1/dashboard/sites?districtCode=" + district), 200).json();
    assertThat(sites.size()).isEqualTo(2);
    JsonNode first = site(sites, c1.site());
    assertThat(first.path("sampledToday").asLong()).isEqualTo(31);
    assertThat(first.path("sampledLastHour").asLong()).isEqualTo(31);
    assertThat(first.path("tubesSealedToday").asLong()).isEqualTo(4);
    assertThat(first.path("openTubes").asLong()).isZero();
    JsonNode second = site(sites, site2);
    assertThat(second.path("sampledToday").asLong()).isEqualTo(5);
    assertThat(second.path("openTubes").asLong()).isEqualTo(1);

    // 09:40 box 1 received in full
    later(40); // 09:40
    Flows.receive(tech, lab, box1, site1Tubes);

    // 10:30 one plate: a positive pool and a positive single; approved by the reviewer
    later(50); // 10:30
    String pool = site1Tubes.get(0);
    Map<String, String> plate = Plates.layout(site1Tubes);
    String run = ok(tech.post("/api/v1/labs/" + lab + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate))), 201).str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(plate, Set.of(pool, single), false)), 200);
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    // and box 2 arrives at the bench and waits
    Flows.receive(tech, lab, box2, List.of(small));

    await().atMost(Duration.ofSeconds(30)).until(() -> ok(official.get("/api/v1/dashboard/summary?districtCode=" + district
        + "&day=" + day), 200).json().path("personsReported").asLong() == 31);
    s = ok(official.get("/api/v1/dashboard/summary?districtCode=" + district + "&day=" + day), 200).json();
    assertThat(s.path("tubesReceived").asLong()).isEqualTo(5);
    assertThat(s.path("tubesTested").asLong()).isEqualTo(4);
    assertThat(s.path("tubesReleased").asLong()).isEqualTo(4);
    assertThat(s.path("personsReported").asLong()).isEqualTo(31);
    assertThat(s.path("positives").asLong()).isEqualTo(1);
    assertThat(s.path("recalled").asLong()).isEqualTo(10);
    assertThat(s.path("boxesInTransit").asLong()).isEqualTo(1);
    // the city-wide figures hold the district's. Not "equal": other tests move the shared clock
    // too (retention, risk windows, later samplings) and may sample on this day as well
    JsonNode city = ok(official.get("/api/v1/dashboard/summary?day=" + day), 200).json();
    assertThat(city.path("personsSampled").asLong()).isGreaterThanOrEqualTo(36);
    assertThat(city.path("personsReported").asLong()).isGreaterThanOrEqualTo(31);

    JsonNode turnaround = ok(official.get("/api/v1/dashboard/turnaround?day=" + day), 200).json();
    // turnaround is city-wide: its exact figures are this scenario's only when no other test sampled on the day
    boolean alone = city.path("personsSampled").asLong() == 36;
    assertThat(turnaround.path("collectionToReceipt").path("count").asLong()).isGreaterThanOrEqualTo(5);
    if (alone) {
      assertThat(turnaround.path("collectionToReceipt").path("count").asLong()).isEqualTo(5);
      // four tubes waited 40 minutes for receipt, box 2's tube 90
      assertThat(turnaround.path("collectionToReceipt").path("p50").asInt()).isEqualTo(40);
      assertThat(turnaround.path("collectionToReceipt").path("p99").asInt()).isEqualTo(90);
      assertThat(turnaround.path("receiptToRelease").path("count").asLong()).isEqualTo(4);
      assertThat(turnaround.path("receiptToRelease").path("p90").asInt()).isEqualTo(50);
      assertThat(turnaround.path("collectionToRelease").path("p50").asInt()).isEqualTo(90);
      assertThat(turnaround.path("collectionToRelease").path("histogram").get(0).path("fromMinutes").asInt()).isEqualTo(90);
    }

    JsonNode labNow = lab(ok(official.get("/api/v1/dashboard/labs?day=" + day), 200).json(), lab);
    assertThat(labNow.path("received").asLong()).isEqualTo(5);
    assertThat(labNow.path("tested").asLong()).isEqualTo(4);
    assertThat(labNow.path("released").asLong()).isEqualTo(4);
    assertThat(labNow.path("backlog").asLong()).isEqualTo(1);
    assertThat(labNow.path("oldestPendingMinutes").asLong()).isZero();
    assertThat(labNow.path("dailyCapacity").asInt()).isEqualTo(50000);
    assertThat(labNow.path("atRisk").asBoolean()).isFalse();

    JsonNode trend = ok(official.get("/api/v1/dashboard/trend?districtCode=" + district + "&day=" + day), 200).json();
    assertThat(trend.path("hours").size()).isEqualTo(24);
    JsonNode nine = trend.path("hours").get(9);
    assertThat(nine.path("sampled").asLong()).isEqualTo(36);
    assertThat(nine.path("received").asLong()).isEqualTo(4);
    JsonNode ten = trend.path("hours").get(10);
    assertThat(ten.path("received").asLong()).isEqualTo(1);
    assertThat(ten.path("released").asLong()).isEqualTo(4);
    assertThat(ten.path("reported").asLong()).isEqualTo(31);

    // 11:10: box 2's tube has waited 40 minutes, but the lab tested 4 in the last 70 — it keeps up
    later(40); // 11:10
    assertThat(alerts(official, "LAB_BACKLOG", lab)).isEmpty();
    // 12:10: nothing tested since 11:00, a tube waits 100 minutes: backlog alert; box 3 (first
    // sample at 09:00) is overdue in transport
    later(60); // 12:10
    labNow = lab(ok(official.get("/api/v1/dashboard/labs?day=" + day), 200).json(), lab);
    assertThat(labNow.path("oldestPendingMinutes").asLong()).isEqualTo(100);
    assertThat(labNow.path("ratePerHour").asDouble()).isZero();
    assertThat(labNow.path("atRisk").asBoolean()).isTrue();
    assertThat(alerts(official, "LAB_BACKLOG", lab)).hasSize(1);
    assertThat(alerts(official, "BOX_OVERDUE", box3)).hasSize(1);
    assertThat(alerts(official, "CRITICAL_RESULT", single)).hasSize(1);
    assertThat(site(ok(official.get("/api/v1/dashboard/sites?districtCode=" + district), 200).json(), c1.site())
        .path("sampledLastHour").asLong()).isZero();

    // drill-down: the lab's oldest pending box and tube
    JsonNode pending = ok(official.get("/api/v1/dashboard/labs/" + lab + "/pending"), 200).json();
    assertThat(pending.path("backlog").asLong()).isEqualTo(1);
    assertThat(pending.path("boxes").get(0).path("boxCode").asString()).isEqualTo(box2);
    assertThat(pending.path("tubes").get(0).path("tubeCode").asString()).isEqualTo(small);
    assertThat(pending.path("tubes").get(0).path("waitingMinutes").asLong()).isEqualTo(100);

    // export: the day's per-site figures
    Api.Res csv = ok(official.get("/api/v1/dashboard/export/sites.csv?day=" + day), 200);
    assertThat(csv.contentType()).startsWith("text/csv");
    String text = new String(csv.bytes(), StandardCharsets.UTF_8);
    assertThat(text).contains("day,district_code,site_code,site_name,sampled_today");
    assertThat(text).contains(day + "," + district + "," + c1.site() + ",采样点 " + c1.site() + ",31,4,0,0,false");
    Api.Res labsCsv = ok(official.get("/api/v1/dashboard/export/labs.csv?day=" + day), 200);
    assertThat(new String(labsCsv.bytes(), StandardCharsets.UTF_8)).contains("," + lab + ",Lab " + lab + "," + district + ",5,4,4,0,1,100,50000,");
  }

  @Test
  void aSiteFarBelowItsPeersIsSlow() {
    quietHour(15, 0);
    Corner a = corner();
    List<Api> collectors = new ArrayList<>(List.of(a.collector()));
    List<String> sites = new ArrayList<>(List.of(a.site()));
    for (int i = 0; i < 3; i++) {
      String site = unique("S");
      ok(admin().post("/api/v1/sites", Api.obj("code", site, "name", "点" + i, "districtCode", a.district(),
          "latitude", 33.9 + i / 100.0, "longitude", 118.3)), 201);
      sites.add(site);
      collectors.add(staff("COLLECTOR", site, null));
    }
    // three sites sample 12 persons each in open 20-tubes, the fourth only 2
    for (int i = 0; i < 4; i++) {
      String tube = unique("T");
      ok(collectors.get(i).post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 20)), 201);
      for (int k = 0; k < (i < 3 ? 12 : 2); k++) {
        ok(collectors.get(i).scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "慢" + k)), 201);
      }
    }
    Api official = staff("OFFICIAL", null, null);
    JsonNode list = ok(official.get("/api/v1/dashboard/sites?districtCode=" + a.district()), 200).json();
    for (int i = 0; i < 4; i++) {
      assertThat(site(list, sites.get(i)).path("slow").asBoolean()).as(sites.get(i)).isEqualTo(i == 3);
    }
    assertThat(alerts(official, "SITE_SLOW", sites.get(3))).hasSize(1);
    assertThat(alerts(official, "SITE_SLOW", sites.get(0))).isEmpty();
  }

  @Test
  void badInputIsNamed() {
    Api official = staff("OFFICIAL", null, null);
    Api.Res r = official.get("/api/v1/dashboard/summary?day=22-11-2026");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("INVALID_DAY");
    assertThat(r.json().path("field").asString()).isEqualTo("day");
    assertThat(official.get("/api/v1/dashboard/summary?districtCode=NOPE-" + unique("X")).code()).isEqualTo("DISTRICT_NOT_FOUND");
    assertThat(official.get("/api/v1/dashboard/labs/NOPE-" + unique("X") + "/pending").code()).isEqualTo("LAB_NOT_FOUND");
  }

  private static List<JsonNode> alerts(Api official, String kind, String subject) {
    return ok(official.get("/api/v1/dashboard/alerts"), 200).json().valueStream()
        .filter(a -> a.path("kind").asString().equals(kind) && a.path("subject").asString().equals(subject)).toList();
  }

  private static JsonNode site(JsonNode list, String code) {
    return list.valueStream().filter(n -> n.path("siteCode").asString().equals(code)).findFirst().orElseThrow();
  }

  private static JsonNode lab(JsonNode list, String code) {
    return list.valueStream().filter(n -> n.path("labCode").asString().equals(code)).findFirst().orElseThrow();
  }
}
