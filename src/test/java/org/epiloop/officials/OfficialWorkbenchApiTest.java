package org.epiloop.officials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Outbreaks;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API behind the officials' workbench (V3, H1, L5): a person found by document for a typed
 * reason (audited, masked); the case list newest first, page by page; a tracing list exported as
 * masked CSV (audited); contacts marked reached (who, when; audited; idempotent); and bad input
 * answered with a 400 naming the field.
 */
class OfficialWorkbenchApiTest extends IntegrationTest {

  private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

  private int audits(String action, String subjectId) {
    return jdbc.sql("select count(*) from audit_log where action = ? and subject_id = ?").params(action, subjectId)
        .query(Integer.class).single();
  }

  @Test
  void aPersonIsFoundByDocumentForAReasonAuditedAndMasked() {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    String phone = Ids.phone();
    Api resident = Residents.login(api(), admin(), phone);
    String id = Ids.next();
    String personId = Residents.addNewPerson(resident, admin(), id, "查询对象", c.district());

    assertThat(official.post("/api/v1/officials/person-lookups", Api.obj("idType", "CN_ID", "idNumber", id)).str("field"))
        .isEqualTo("reason");
    assertThat(official.post("/api/v1/officials/person-lookups", Api.obj("idType", "CN_ID", "idNumber", id, "reason", "x")).str("field"))
        .isEqualTo("reason");
    Api.Res badNumber = official.post("/api/v1/officials/person-lookups",
        Api.obj("idType", "CN_ID", "idNumber", id.substring(0, 17) + "Z", "reason", "流调"));
    assertThat(badNumber.status()).isEqualTo(400);
    assertThat(badNumber.str("field")).isEqualTo("idNumber");
    assertThat(official.post("/api/v1/officials/person-lookups", Api.obj("idType", "XX", "idNumber", id, "reason", "流调")).str("field"))
        .isEqualTo("idType");
    assertThat(official.post("/api/v1/officials/person-lookups", "{\"idType\":").status()).isEqualTo(400);
    int missesBefore = audits("PERSON_LOOKUP", "none");
    Api.Res unknown = official.post("/api/v1/officials/person-lookups", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "reason", "流调核实"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("PERSON_NOT_FOUND");
    assertThat(audits("PERSON_LOOKUP", "none")).as("a miss is audited too").isEqualTo(missesBefore + 1);

    Api.Res found = ok(official.post("/api/v1/officials/person-lookups",
        Api.obj("idType", "CN_ID", "idNumber", id.toLowerCase(), "reason", "热线来电核实 hotline call")), 200);
    assertThat(found.str("personId")).isEqualTo(personId);
    assertThat(found.str("nameMasked")).isEqualTo("查**象");
    assertThat(found.str("idMasked")).isEqualTo(id.substring(0, 4) + "**********" + id.substring(14));
    assertThat(found.str("phoneMasked")).isEqualTo(phone.substring(0, 3) + "****" + phone.substring(7));
    assertThat(found.json().path("healthCode").path("color").asString()).isEqualTo("GREEN");
    assertThat(found.json().path("openRecall").asBoolean()).isFalse();
    assertThat(found.json().path("samplings").asInt()).isZero();
    assertThat(found.text()).doesNotContain(id).doesNotContain("查询对象").doesNotContain(phone);
    assertThat(jdbc.sql("select detail from audit_log where action = 'PERSON_READ' and subject_id = ? order by id desc limit 1")
        .param(personId).query(String.class).single()).contains("热线来电核实");

    // sampled at a site: the sampling shows, pending
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 5)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id, "name", "查询对象")), 201);
    Api.Res sampled = ok(official.post("/api/v1/officials/person-lookups",
        Api.obj("idType", "CN_ID", "idNumber", id, "reason", "复核 recheck")), 200);
    assertThat(sampled.json().path("samplings").asInt()).isEqualTo(1);
    assertThat(sampled.json().path("results").get(0).path("status").asString()).isEqualTo("PENDING");
    assertThat(staff("COLLECTOR", c.site(), null).post("/api/v1/officials/person-lookups",
        Api.obj("idType", "CN_ID", "idNumber", id, "reason", "复核")).status()).isEqualTo(403);
  }

  @Test
  void casesAreListedNewestFirstTheirTracingListExportedAndContactsMarkedReached() {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    Api manager = staff("VENUE_MANAGER", null, null);
    Outbreaks.Outbreak older = Outbreaks.at(api(), admin(), manager, c.district(), 1);
    String olderCase = confirm(official, older.caseIdNumber());
    clock.advance(Duration.ofMinutes(5));
    Outbreaks.Outbreak outbreak = Outbreaks.at(api(), admin(), manager, c.district(), 3);
    String caseId = confirm(official, outbreak.caseIdNumber());

    // the case list, two at a time, following the Link header: newest first, the newer case before the older
    List<JsonNode> all = new ArrayList<>();
    String next = "/api/v1/cases?limit=2";
    int pages = 0;
    while (next != null) {
      Api.Res page = ok(official.get(next), 200);
      page.json().forEach(all::add);
      assertThat(page.json().size()).isLessThanOrEqualTo(2);
      Matcher m = NEXT.matcher(String.valueOf(page.header("Link")));
      next = m.find() ? m.group(1) : null;
      pages++;
    }
    assertThat(pages).isGreaterThanOrEqualTo(1);
    List<String> ids = all.stream().map(n -> n.path("caseId").asString()).toList();
    assertThat(ids).doesNotHaveDuplicates().contains(caseId, olderCase);
    assertThat(ids.indexOf(caseId)).isLessThan(ids.indexOf(olderCase));
    for (int i = 1; i < all.size(); i++) {
      assertThat(OffsetDateTime.parse(all.get(i).path("createdAt").asString()))
          .isBeforeOrEqualTo(OffsetDateTime.parse(all.get(i - 1).path("createdAt").asString()));
    }
    JsonNode mine = all.get(ids.indexOf(caseId));
    assertThat(mine.path("nameMasked").asString()).isEqualTo("病*甲");
    assertThat(mine.path("closeContacts").asInt()).isEqualTo(3);
    assertThat(mine.path("reached").asInt()).isZero();
    assertThat(official.get("/api/v1/cases?limit=0").str("field")).isEqualTo("limit");
    assertThat(official.get("/api/v1/cases?limit=500").str("field")).isEqualTo("limit");
    assertThat(official.get("/api/v1/cases?after=nonsense").str("field")).isEqualTo("after");

    // mark a contact reached: who and when, once; the list and the export show it
    String contact = outbreak.contactIds().get(1);
    Api.Res reached = ok(official.post("/api/v1/cases/" + caseId + "/contacts/" + contact + "/reached",
        Api.obj("note", "电话已通知居家隔离")), 200);
    assertThat(reached.str("reachedBy")).isNotBlank();
    assertThat(OffsetDateTime.parse(reached.str("reachedAt")).toInstant()).isBetween(clock.instant().minusSeconds(30), clock.instant());
    clock.advance(Duration.ofMinutes(3));
    Api.Res again = ok(official.post("/api/v1/cases/" + caseId + "/contacts/" + contact + "/reached", Map.of()), 200);
    assertThat(again.str("reachedAt")).as("the first reach is kept").isEqualTo(reached.str("reachedAt"));
    assertThat(again.str("note")).isEqualTo("电话已通知居家隔离");
    assertThat(audits("CONTACT_REACHED", caseId)).isEqualTo(1);
    JsonNode contacts = ok(official.get("/api/v1/cases/" + caseId + "/contacts"), 200).json();
    for (JsonNode line : contacts) {
      assertThat(line.path("reachedAt").isMissingNode()).as(line.toString()).isEqualTo(!line.path("personId").asString().equals(contact));
    }
    assertThat(official.post("/api/v1/cases/" + caseId + "/contacts/" + outbreak.casePersonId() + "/reached", Map.of()).code())
        .isEqualTo("CONTACT_NOT_FOUND");
    assertThat(official.post("/api/v1/cases/" + UUID.randomUUID() + "/contacts/" + contact + "/reached", Map.of()).code())
        .isEqualTo("CASE_NOT_FOUND");
    Api.Res badId = official.post("/api/v1/cases/" + caseId + "/contacts/not-a-uuid/reached", Map.of());
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.str("field")).isEqualTo("personId");
    Api.Res longNote = official.post("/api/v1/cases/" + caseId + "/contacts/" + outbreak.contactIds().get(0) + "/reached",
        Api.obj("note", "长".repeat(501)));
    assertThat(longNote.status()).isEqualTo(400);
    assertThat(longNote.str("field")).isEqualTo("note");
    assertThat(ok(official.get("/api/v1/cases?limit=200"), 200).text()).contains("\"reached\":1");

    // the export: masked, the reach included, audited as an export
    Api.Res csv = ok(official.get("/api/v1/cases/" + caseId + "/contacts.csv"), 200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition")).contains("attachment").contains(".csv");
    String text = new String(csv.bytes(), StandardCharsets.UTF_8).replace("\uFEFF", "");
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("level,name_masked,phone_masked,venue_code,venue_name,exposed_at,reached_at,reached_by");
    assertThat(lines).hasSize(4);
    String maskedPhone = outbreak.phone().substring(0, 3) + "****" + outbreak.phone().substring(7);
    assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l).startsWith("CLOSE,").contains(maskedPhone).contains(outbreak.venueName()));
    assertThat(lines.stream().filter(l -> l.endsWith("," + reached.str("reachedBy")))).hasSize(1);
    for (String name : outbreak.contactNames()) {
      assertThat(text).doesNotContain(name);
    }
    assertThat(text).doesNotContain(outbreak.phone());
    assertThat(audits("CONTACTS_EXPORTED", caseId)).isEqualTo(1);
    assertThat(official.get("/api/v1/cases/" + UUID.randomUUID() + "/contacts.csv").code()).isEqualTo("CASE_NOT_FOUND");
    assertThat(official.get("/api/v1/cases/nope/contacts.csv").str("field")).isEqualTo("caseId");
  }

  private String confirm(Api official, String idNumber) {
    return ok(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", idNumber,
        "confirmedAt", clock.instant().atOffset(ZoneOffset.ofHours(8)).toString())), 201).str("caseId");
  }
}
