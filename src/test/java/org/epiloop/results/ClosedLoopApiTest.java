package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's loop end to end through HTTP on the real database: 3 sites, 2 labs, 200 persons
 * in 10-in-1 and single tubes; a box with a missing and an unexpected tube; plates with
 * controls and CSV import; a run whose controls fail is re-run; a positive pool is recalled,
 * retested singly, found positive and raises a critical alert; everyone else is negative. At
 * the end every sampled person has exactly one current status, checked over the database.
 */
class ClosedLoopApiTest extends IntegrationTest {

  @Test
  void fromScanToReleasedResult() {
    Corner s1 = corner();
    Corner s2 = corner();
    Corner s3 = corner();
    String lab1 = s1.lab();
    String lab2 = s3.lab();
    Api courier = staff("COURIER", null, null);
    Api tech1 = staff("LAB_TECH", null, lab1);
    Api reviewer1 = staff("LAB_REVIEWER", null, lab1);
    Api tech2 = staff("LAB_TECH", null, lab2);
    Api official = staff("OFFICIAL", null, null);

    // a resident with a phone is in one of the pools, to see the result and the SMS
    String phone = Ids.phone();
    Api resident = Residents.login(api(), admin(), phone);
    String residentId = Ids.next();
    String personId = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", residentId, "name", "闭环居民", "districtCode", s1.district())).str("personId");
    String appointment = ok(resident.get("/api/v1/resident/persons/" + personId + "/appointment"), 200).str("appointmentCode");

    // sampling: pools of 10 and singles at three sites, 200 persons in all
    List<String> site1Tubes = new ArrayList<>();
    List<String> site2Tubes = new ArrayList<>();
    List<String> site3Tubes = new ArrayList<>();
    String residentTube = unique("T");
    ok(s1.collector().post("/api/v1/tubes", Api.obj("tubeCode", residentTube, "capacity", 10)), 201);
    ok(s1.collector().scan("/api/v1/tubes/" + residentTube + "/bindings", Map.of("appointmentCode", appointment)), 201);
    for (int i = 0; i < 9; i++) {
      ok(s1.collector().scan("/api/v1/tubes/" + residentTube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "池" + i)), 201);
    }
    site1Tubes.add(residentTube);
    for (int i = 0; i < 5; i++) {
      site1Tubes.add(Flows.fillTube(s1.collector(), unique("T"), 10).tubeCode());
      site2Tubes.add(Flows.fillTube(s2.collector(), unique("T"), 10).tubeCode());
      site3Tubes.add(Flows.fillTube(s3.collector(), unique("T"), 10).tubeCode());
    }
    for (int i = 0; i < 7; i++) {
      site1Tubes.add(Flows.fillTube(s1.collector(), unique("T"), 1).tubeCode());
      site2Tubes.add(Flows.fillTube(s2.collector(), unique("T"), 1).tubeCode());
      site3Tubes.add(Flows.fillTube(s3.collector(), unique("T"), 1).tubeCode());
    }
    site3Tubes.add(Flows.fillTube(s3.collector(), unique("T"), 10).tubeCode());
    for (int i = 0; i < 9; i++) {
      site3Tubes.add(Flows.fillTube(s3.collector(), unique("T"), 1).tubeCode());
    }
    List<String> everyTube = new ArrayList<>(site1Tubes);
    everyTube.addAll(site2Tubes);
    everyTube.addAll(site3Tubes);
    assertThat(count("select count(*) from bindings where tube_code = any(?) and unbound_at is null", everyTube)).isEqualTo(200);

    // transport: sites 1 and 2 to lab 1, site 3 to lab 2
    String box1 = unique("B");
    String box2 = unique("B");
    String box3 = unique("B");
    Flows.ship(s1.collector(), courier, box1, lab1, site1Tubes);
    Flows.ship(s2.collector(), courier, box2, lab1, site2Tubes);
    Flows.ship(s3.collector(), courier, box3, lab2, site3Tubes);

    // lab 1 receives box 1 fully; box 2 lacks one single tube and holds a stray tube of box 3
    Flows.receive(tech1, lab1, box1, site1Tubes);
    String missing = site2Tubes.get(site2Tubes.size() - 1);
    String stray = site3Tubes.get(site3Tubes.size() - 1);
    List<String> box2Scanned = new ArrayList<>(site2Tubes.subList(0, site2Tubes.size() - 1));
    ok(tech1.post("/api/v1/labs/" + lab1 + "/receipts", Map.of("boxCode", box2)), 200);
    for (String t : box2Scanned) {
      ok(tech1.post("/api/v1/labs/" + lab1 + "/receipts/" + box2 + "/tubes", Map.of("tubeCode", t)), 200);
    }
    assertThat(ok(tech1.post("/api/v1/labs/" + lab1 + "/receipts/" + box2 + "/tubes", Map.of("tubeCode", stray)), 200).str("status")).isEqualTo("UNEXPECTED");
    Api.Res report = ok(tech1.post("/api/v1/labs/" + lab1 + "/receipts/" + box2 + "/close", Map.of()), 200);
    assertThat(report.json().path("missing").get(0).asString()).isEqualTo(missing);
    assertThat(report.json().path("unexpected").get(0).asString()).isEqualTo(stray);
    List<String> box3Scanned = site3Tubes.subList(0, site3Tubes.size() - 1);
    Flows.receive(tech2, lab2, box3, box3Scanned); // the stray tube is missing from box 3

    // lab 1, plate 1: site 1's tubes; one pool is positive; the first attempt's controls fail
    String positivePool = residentTube;
    Map<String, String> plate1 = Plates.layout(site1Tubes);
    String run1 = ok(tech1.post("/api/v1/labs/" + lab1 + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate1))), 201).str("runId");
    Api.Res failed = ok(tech1.postRaw("/api/v1/runs/" + run1 + "/results", "text/csv", Plates.csv(plate1, Set.of(positivePool), true)), 200);
    assertThat(failed.str("status")).isEqualTo("CONTROLS_FAILED");
    String run1b = ok(tech1.post("/api/v1/labs/" + lab1 + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate1))), 201).str("runId");
    Api.Res entered = ok(tech1.postRaw("/api/v1/runs/" + run1b + "/results", "text/csv", Plates.csv(plate1, Set.of(positivePool), false)), 200);
    assertThat(entered.str("status")).isEqualTo("RESULTS_ENTERED");
    assertThat(entered.json().path("samples").valueStream().filter(s -> s.path("tubeCode").asString().equals(positivePool))
        .findFirst().orElseThrow().path("interpretation").asString()).isEqualTo("POSITIVE");
    assertThat(ok(reviewer1.post("/api/v1/runs/" + run1b + "/approval", Map.of()), 200).str("status")).isEqualTo("RELEASED");

    // lab 1, plate 2: site 2's received tubes, all negative: auto-reviewed and released
    Map<String, String> plate2 = Plates.layout(box2Scanned);
    String run2 = ok(tech1.post("/api/v1/labs/" + lab1 + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate2))), 201).str("runId");
    assertThat(ok(tech1.postRaw("/api/v1/runs/" + run2 + "/results", "text/csv", Plates.csv(plate2, Set.of(), false)), 200).str("status")).isEqualTo("RELEASED");

    // lab 2: site 3, all negative
    Map<String, String> plate3 = Plates.layout(box3Scanned);
    String run3 = ok(tech2.post("/api/v1/labs/" + lab2 + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate3))), 201).str("runId");
    assertThat(ok(tech2.postRaw("/api/v1/runs/" + run3 + "/results", "text/csv", Plates.csv(plate3, Set.of(), false)), 200).str("status")).isEqualTo("RELEASED");

    // results: the positive pool's ten members are recalled, not positive; lost tubes are retests
    await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from person_results where tube_code = any(?)", everyTube) == 200);
    assertThat(count("select count(*) from person_results where tube_code = any(?) and status = 'RECALLED'", List.of(positivePool))).isEqualTo(10);
    assertThat(count("select count(*) from person_results where tube_code = any(?) and status = 'POSITIVE'", everyTube)).isZero();
    assertThat(count("select count(*) from person_results where tube_code = any(?) and status = 'RETEST'", List.of(missing, stray))).isEqualTo(2);
    assertThat(count("select count(*) from person_results where tube_code = any(?) and status = 'NEGATIVE'", everyTube)).isEqualTo(188);
    Api.Res published = ok(official.get("/api/v1/results/runs/" + run1b), 200);
    assertThat(published.json().path("persons").asInt()).isEqualTo(67);
    assertThat(published.json().path("recalled").asInt()).isEqualTo(10);
    Api.Res recalls = ok(s1.collector().get("/api/v1/recalls?siteCode=" + s1.site()), 200);
    assertThat(recalls.json().size()).isEqualTo(10);
    assertThat(recalls.json().get(0).path("nameMasked").asString()).contains("*");
    assertThat(recalls.json().get(0).path("reason").asString()).isEqualTo("POOL_POSITIVE");
    assertThat(s2.collector().get("/api/v1/recalls?siteCode=" + s1.site()).code()).isEqualTo("OUT_OF_SCOPE");

    // the resident sees RECALLED and got a message
    Api.Res mine = ok(resident.get("/api/v1/resident/persons/" + personId + "/results"), 200);
    assertThat(mine.json().get(0).path("status").asString()).isEqualTo("RECALLED");
    assertThat(mine.json().get(0).path("pooled").asBoolean()).isTrue();
    assertThat(mine.json().get(0).path("labCode").asString()).isEqualTo(lab1);
    await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/v1/admin/sms-outbox?phone=" + phone).text().contains("single-tube retest"));

    // the resident is retested in a single tube, found positive: critical alert, recall closed
    String retest = unique("T");
    ok(s1.collector().post("/api/v1/tubes", Api.obj("tubeCode", retest, "capacity", 1)), 201);
    Api.Res again = s1.collector().scan("/api/v1/tubes/" + retest + "/bindings", Map.of("appointmentCode", appointment));
    assertThat(again.code()).isEqualTo("SAMPLED_IN_ROUND");
    ok(s1.collector().scan("/api/v1/tubes/" + retest + "/bindings", Map.of("appointmentCode", appointment, "confirmRepeat", true)), 201);
    String box4 = unique("B");
    Flows.ship(s1.collector(), courier, box4, lab1, List.of(retest));
    Flows.receive(tech1, lab1, box4, List.of(retest));
    Map<String, String> plate4 = Plates.layout(List.of(retest));
    String run4 = ok(tech1.post("/api/v1/labs/" + lab1 + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate4))), 201).str("runId");
    ok(tech1.postRaw("/api/v1/runs/" + run4 + "/results", "text/csv", Plates.csv(plate4, Set.of(retest), false)), 200);
    ok(reviewer1.post("/api/v1/runs/" + run4 + "/approval", Map.of()), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> ok(official.get("/api/v1/dashboard/alerts"), 200).json().valueStream()
        .anyMatch(a -> a.path("kind").asString().equals("CRITICAL_RESULT") && a.path("subject").asString().equals(retest)));
    await().atMost(Duration.ofSeconds(30)).until(() -> ok(resident.get("/api/v1/resident/persons/" + personId + "/results"), 200)
        .json().get(0).path("status").asString().equals("POSITIVE"));
    assertThat(ok(s1.collector().get("/api/v1/recalls?siteCode=" + s1.site()), 200).json().size()).isEqualTo(9);

    // the public query: right name answers, a wrong name answers exactly like nobody
    Api.Res query = ok(api().post("/api/v1/results/query", Api.obj("idType", "CN_ID", "idNumber", residentId, "name", "闭环居民")), 200);
    assertThat(query.json().path("results").get(0).path("status").asString()).isEqualTo("POSITIVE");
    assertThat(query.text()).doesNotContain(residentId).doesNotContain("闭环居民");
    Api.Res wrongName = api().post("/api/v1/results/query", Api.obj("idType", "CN_ID", "idNumber", residentId, "name", "别人"));
    Api.Res nobody = api().post("/api/v1/results/query", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "别人"));
    assertThat(wrongName.status()).isEqualTo(404).isEqualTo(nobody.status());
    assertThat(wrongName.str("detail")).isEqualTo(nobody.str("detail"));

    // the invariant, over the database: every person sampled in this loop has exactly one
    // current status — the result of their newest sampling — and none is missing
    List<String> loopTubes = new ArrayList<>(everyTube);
    loopTubes.add(retest);
    int persons = count("select count(distinct person_id) from bindings where tube_code = any(?) and unbound_at is null", loopTubes);
    int withCurrent = count("""
        select count(*) from (
          select distinct on (b.person_id) b.person_id, r.status
          from bindings b left join person_results r on r.binding_id = b.id
          where b.tube_code = any(?) and b.unbound_at is null
          order by b.person_id, b.bound_at desc) current
        where status is not null""", loopTubes);
    assertThat(persons).isEqualTo(200);
    assertThat(withCurrent).isEqualTo(persons);
    assertThat(count("select count(*) from bindings b where b.tube_code = any(?) and b.unbound_at is null and not exists (select 1 from person_results r where r.binding_id = b.id)", loopTubes)).isZero();
  }

  private int count(String sql, List<String> tubes) {
    return jdbc.sql(sql).param(tubes.toArray(String[]::new)).query(Integer.class).single();
  }
}
