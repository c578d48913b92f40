package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A confirmed case finds its close and secondary contacts from check-ins at several venues
 * (V3) with inclusive window bounds and the lookback; officials get a masked, audited tracing
 * list; residents check their own exposures (V4).
 */
class VenueContactsApiTest extends IntegrationTest {

  /** Contact finding does not read what the entrance saw; these check-ins are plain green admissions. */
  private static final CheckIns.Entrance ADMITTED = new CheckIns.Entrance("GREEN", true);

  @org.springframework.beans.factory.annotation.Autowired Exposures exposures;

  @Autowired Venues venues;
  @Autowired CheckIns checkIns;
  @Autowired RecordedVenueEvents events;

  private String district;
  private Api manager;

  private void setUpCity() {
    district = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "区 " + district)), 201);
    manager = staff("VENUE_MANAGER", null, null);
  }

  private Venues.Venue venue(String name) {
    String token = ok(manager.post("/api/v1/venues", Api.obj("name", name, "districtCode", district, "kind", "OTHER",
        "latitude", 36.0, "longitude", 103.8)), 201).str("venueToken");
    return venues.byToken(token).orElseThrow();
  }

  /** A person registered through the resident API; their ID number is kept in {@link #idNumbers}. */
  private UUID person(Api account, String name) {
    String id = Ids.next();
    UUID personId = UUID.fromString(Residents.addPerson(account, admin(),
        Api.obj("idType", "CN_ID", "idNumber", id, "name", name, "districtCode", district)).str("personId"));
    idNumbers.put(personId, id);
    return personId;
  }

  private final Map<UUID, String> idNumbers = new LinkedHashMap<>();

  private static Instant at(JsonNode node) {
    return OffsetDateTime.parse(node.path("at").asString()).toInstant();
  }

  @Test
  void closeAndSecondaryContactsAcrossVenuesWithTheWindowBoundsAndLookback() {
    setUpCity();
    Venues.Venue a = venue("餐厅 A");
    Venues.Venue b = venue("超市 B");
    Venues.Venue c = venue("写字楼 C");
    Venues.Venue d = venue("车站 D");
    String mainPhone = Ids.phone();
    Api family = Residents.login(api(), admin(), mainPhone);
    Api c1Account = Residents.login(api(), admin(), Ids.phone());
    UUID p = person(family, "病例甲");
    UUID c1 = person(c1Account, "密接一");
    UUID c2 = person(family, "密接二");
    UUID e = person(family, "密接三");
    UUID n1 = person(family, "无关一");
    UUID n2 = person(family, "无关二");
    UUID old = person(family, "无关三");
    UUID s0 = person(family, "无关四");
    UUID s3 = person(family, "无关五");
    UUID s1 = person(family, "次密一");
    UUID s2 = person(family, "次密二");

    Instant confirmed = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant t = confirmed.minus(Duration.ofDays(2));
    // the case: A at t, B at t+5h, and A long before the 4-day lookback
    checkIns.record(p, a, t, ADMITTED);
    checkIns.record(p, b, t.plus(Duration.ofHours(5)), ADMITTED);
    checkIns.record(p, a, t.minus(Duration.ofDays(5)), ADMITTED);
    // close contacts at the window's edges, at two venues
    checkIns.record(c1, a, t.plus(Duration.ofMinutes(60)), ADMITTED);                  // exactly +60 min: close
    checkIns.record(n1, a, t.minus(Duration.ofMinutes(61)), ADMITTED);                 // -61 min: not
    checkIns.record(c2, b, t.plus(Duration.ofHours(5)).minusSeconds(3600), ADMITTED);  // exactly -60 min: close
    checkIns.record(n2, b, t.plus(Duration.ofHours(5)).plusSeconds(61 * 60), ADMITTED); // +61 min: not
    checkIns.record(e, a, t.plus(Duration.ofMinutes(10)), ADMITTED);                   // close, earliest exposure at A...
    checkIns.record(e, b, t.plus(Duration.ofMinutes(270)), ADMITTED);                  // ...though also at B
    checkIns.record(old, a, t.minus(Duration.ofDays(5)).plus(Duration.ofMinutes(10)), ADMITTED); // near the case, but outside the lookback
    // secondary: with c1 at C after c1's exposure (t+60)
    checkIns.record(c1, c, t.plus(Duration.ofHours(3)), ADMITTED);
    checkIns.record(s1, c, t.plus(Duration.ofMinutes(210)), ADMITTED);                 // 30 min after c1: secondary
    checkIns.record(s2, c, t.plus(Duration.ofHours(4)), ADMITTED);                     // exactly 60 min after c1: secondary
    checkIns.record(s3, c, t.plus(Duration.ofMinutes(241)), ADMITTED);                 // 61 min after c1 (and near c2 before c2's exposure): not
    checkIns.record(c2, c, t.plus(Duration.ofMinutes(200)), ADMITTED);                 // c2 there too, before c2's own exposure: stays close
    // with c1 at D before c1's exposure: not a contact
    checkIns.record(c1, d, t.minus(Duration.ofHours(3)), ADMITTED);
    checkIns.record(s0, d, t.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(10)), ADMITTED);

    Api official = staff("OFFICIAL", null, null);
    Api.Res created = ok(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", idNumbers.get(p),
        "confirmedAt", confirmed.atOffset(ZoneOffset.ofHours(8)).toString())), 201);
    UUID caseId = UUID.fromString(created.str("caseId"));
    assertThat(created.json().path("contacts").asInt()).isEqualTo(5);
    assertThat(created.json().path("closeContacts").asInt()).isEqualTo(3);
    assertThat(created.json().path("secondaryContacts").asInt()).isEqualTo(2);

    Api.Res list = ok(official.get("/api/v1/cases/" + caseId + "/contacts"), 200);
    JsonNode rows = list.json();
    assertThat(rows.findValuesAsString("personId")).containsExactly(e.toString(), c1.toString(), c2.toString(),
        s1.toString(), s2.toString());
    assertThat(rows.findValuesAsString("level")).containsExactly("CLOSE", "CLOSE", "CLOSE", "SECONDARY", "SECONDARY");
    assertThat(rows.findValuesAsString("venueName")).containsExactly("餐厅 A", "餐厅 A", "超市 B", "写字楼 C", "写字楼 C");
    assertThat(List.of(at(rows.get(0)), at(rows.get(1)), at(rows.get(2)), at(rows.get(3)), at(rows.get(4)))).containsExactly(
        t.plus(Duration.ofMinutes(10)), t.plus(Duration.ofMinutes(60)), t.plus(Duration.ofMinutes(240)),
        t.plus(Duration.ofMinutes(210)), t.plus(Duration.ofMinutes(240)));
    assertThat(rows.findValuesAsString("nameMasked")).containsExactly("密*三", "密*一", "密*二", "次*一", "次*二");
    assertThat(rows.get(0).path("phoneMasked").asString()).isEqualTo(mainPhone.substring(0, 3) + "****" + mainPhone.substring(7));
    assertThat(rows.get(1).path("phoneMasked").asString()).matches("139\\*{4}\\d{4}");
    assertThat(list.text()).doesNotContain("密接一").doesNotContain(mainPhone).doesNotContain(idNumbers.get(c1));
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'PERSON_READ' and subject_type = 'case' and subject_id = ?")
        .param(caseId.toString()).query(Integer.class).single()).as("one audit row per read").isEqualTo(1);
    ok(official.get("/api/v1/cases/" + caseId + "/contacts"), 200);
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'PERSON_READ' and subject_type = 'case' and subject_id = ?")
        .param(caseId.toString()).query(Integer.class).single()).isEqualTo(2);

    // the same list in pages of two, following the Link header; each page is audited
    List<String> paged = new java.util.ArrayList<>();
    String next = "/api/v1/cases/" + caseId + "/contacts?limit=2";
    int pages = 0;
    while (next != null) {
      Api.Res page = ok(official.get(next), 200);
      assertThat(page.json().size()).isBetween(1, 2);
      paged.addAll(page.json().findValuesAsString("personId"));
      String link = page.header("Link");
      next = link == null ? null : link.replaceAll("^<([^>]+)>; rel=\"next\"$", "$1");
      pages++;
    }
    assertThat(paged).isEqualTo(rows.findValuesAsString("personId"));
    assertThat(pages).isEqualTo(3);
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'PERSON_READ' and subject_type = 'case' and subject_id = ?")
        .param(caseId.toString()).query(Integer.class).single()).isEqualTo(5);
    Api.Res whole = ok(official.get("/api/v1/cases/" + caseId + "/contacts?limit=10"), 200);
    assertThat(whole.json().size()).isEqualTo(5);
    assertThat(whole.header("Link")).as("no next page").isNull();
    expect(official.get("/api/v1/cases/" + caseId + "/contacts?limit=0"), "INVALID_LIMIT", "limit");
    expect(official.get("/api/v1/cases/" + caseId + "/contacts?limit=10001"), "INVALID_LIMIT", "limit");
    expect(official.get("/api/v1/cases/" + caseId + "/contacts?limit=2&after=bm90LWEtY3Vyc29y"), "INVALID_CURSOR", "after");
    expect(official.get("/api/v1/cases/" + caseId + "/contacts?after=%25%25"), "INVALID_CURSOR", "after");
    assertThat(jdbc.sql("select actor from audit_log where action = 'CASE_CONFIRMED' and subject_id = ?")
        .param(caseId.toString()).query(String.class).single()).startsWith("official");
    Api.Res summary = ok(official.get("/api/v1/cases/" + caseId), 200);
    assertThat(OffsetDateTime.parse(summary.str("confirmedAt")).toInstant()).isEqualTo(confirmed);
    assertThat(summary.json().path("contacts").asInt()).isEqualTo(5);

    // the events carry the same persons
    CaseConfirmed caseEvent = events.confirmed().stream().filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow();
    assertThat(caseEvent.personId()).isEqualTo(p);
    assertThat(caseEvent.confirmedAt()).isEqualTo(confirmed);
    List<ContactsFound> found = events.contacts().stream().filter(x -> x.caseId().equals(caseId)).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).closeContacts()).isEqualTo(3);
    assertThat(found.get(0).secondaryContacts()).isEqualTo(2);
    // listeners read the contacts in place, through the Exposures facade
    Map<UUID, String> levels = new java.util.HashMap<>();
    exposures.personsOf(caseId, page -> page.forEach(id -> levels.put(id,
        exposures.of(id).stream().filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow().level())));
    assertThat(levels).isEqualTo(Map.of(c1, "CLOSE", c2, "CLOSE", e, "CLOSE", s1, "SECONDARY", s2, "SECONDARY"));
    Exposures.Exposure eContact = exposures.of(e).stream().filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow();
    assertThat(eContact.exposedAt()).isEqualTo(t.plus(Duration.ofMinutes(10)));
    // both events went through the publication registry and completed
    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
            "select count(*) from event_publication where serialized_event like ? and completion_date is not null")
        .param("%" + caseId + "%").query(Integer.class).single() >= 2);

    // 密接自查: each account sees only its own persons' exposures
    Api.Res mine = ok(c1Account.get("/api/v1/resident/persons/" + c1 + "/exposures"), 200);
    assertThat(mine.json().size()).isEqualTo(1);
    assertThat(mine.json().get(0).path("venueName").asString()).isEqualTo("餐厅 A");
    assertThat(mine.json().get(0).path("level").asString()).isEqualTo("CLOSE");
    assertThat(at(mine.json().get(0))).isEqualTo(t.plus(Duration.ofMinutes(60)));
    Api.Res secondary = ok(family.get("/api/v1/resident/persons/" + s2 + "/exposures"), 200);
    assertThat(secondary.json().findValuesAsString("level")).containsExactly("SECONDARY");
    assertThat(ok(family.get("/api/v1/resident/persons/" + n1 + "/exposures"), 200).json().size()).isZero();
    Api.Res stranger = family.get("/api/v1/resident/persons/" + c1 + "/exposures");
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(official.get("/api/v1/resident/persons/" + c1 + "/exposures").status()).isEqualTo(403);

    // a person is confirmed once
    Api.Res again = official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", idNumbers.get(p),
        "confirmedAt", confirmed.toString()));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("CASE_EXISTS");

    // a second case among the contacts: newest exposure first for a person exposed twice
    ok(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", idNumbers.get(c1),
        "confirmedAt", confirmed.toString())), 201);
    Api.Res twice = ok(family.get("/api/v1/resident/persons/" + s2 + "/exposures"), 200);
    assertThat(twice.json().findValuesAsString("level")).containsExactly("CLOSE", "SECONDARY");
  }

  @Test
  void aCaseWithoutCheckInsHasNoContactsAndBadRequestsAreNamed() {
    setUpCity();
    Api family = Residents.login(api(), admin(), Ids.phone());
    UUID p = person(family, "独居者");
    Api official = staff("OFFICIAL", null, null);
    Instant now = clock.instant();
    String id = idNumbers.get(p);

    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id)), "FIELD_REQUIRED", "confirmedAt");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id, "confirmedAt", "yesterday")),
        "INVALID_TIMESTAMP", "confirmedAt");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id, "confirmedAt", "2022-04-01T09:30:00")),
        "INVALID_TIMESTAMP", "confirmedAt");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id,
        "confirmedAt", now.plus(Duration.ofMinutes(6)).toString())), "CONFIRMED_AT_IN_FUTURE", "confirmedAt");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id, "confirmedAt", "-999999-01-01T00:00:00Z")),
        "INVALID_TIMESTAMP", "confirmedAt");
    expect(official.post("/api/v1/cases", Api.obj("idType", "ID", "idNumber", id, "confirmedAt", now.toString())),
        "INVALID_ID_TYPE", "idType");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id.substring(0, 17) + "Z",
        "confirmedAt", now.toString())), "INVALID_ID_NUMBER", "idNumber");
    expect(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "confirmedAt", now.toString())), "INVALID_ID_NUMBER", "idNumber");

    Api.Res unknown = official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "confirmedAt", now.toString()));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("PERSON_NOT_FOUND");
    assertThat(manager.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id, "confirmedAt", now.toString())).status())
        .isEqualTo(403);
    assertThat(admin().post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", id, "confirmedAt", now.toString())).status())
        .isEqualTo(403);

    // four minutes ahead is within the tolerance for other systems' clocks; lower-case numbers are normalised
    Api.Res created = ok(official.post("/api/v1/cases", Api.obj("idType", "cn_id", "idNumber", id.toLowerCase(),
        "confirmedAt", now.plus(Duration.ofMinutes(4)).toString())), 201);
    UUID caseId = UUID.fromString(created.str("caseId"));
    assertThat(created.json().path("contacts").asInt()).isZero();
    assertThat(ok(official.get("/api/v1/cases/" + caseId + "/contacts"), 200).json().size()).isZero();
    ContactsFound none = events.contacts().stream().filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow();
    assertThat(none.closeContacts() + none.secondaryContacts()).isZero();
    assertThat(events.confirmed().stream().filter(x -> x.caseId().equals(caseId)).count()).isEqualTo(1);

    Api.Res noCase = official.get("/api/v1/cases/" + UUID.randomUUID() + "/contacts");
    assertThat(noCase.status()).isEqualTo(404);
    assertThat(noCase.code()).isEqualTo("CASE_NOT_FOUND");
    assertThat(official.get("/api/v1/cases/not-a-uuid/contacts").code()).isEqualTo("INVALID_PARAMETER");
    assertThat(manager.get("/api/v1/cases/" + caseId + "/contacts").status()).isEqualTo(403);
  }

  private static void expect(Api.Res r, String code, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.str("field")).as(r.toString()).isEqualTo(field);
  }
}
