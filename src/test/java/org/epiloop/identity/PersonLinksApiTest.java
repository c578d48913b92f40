package org.epiloop.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Masks;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Results takeover by ID number and name (issue 13, item 1; ADR 0014): a person joins an account
 * only with a one-time code from the phone that speaks for them; the request answers the same
 * whoever is on record; a link waiting for its code opens nothing; attempts are limited.
 */
class PersonLinksApiTest extends IntegrationTest {

  @Autowired LinkMessages messages;
  @Autowired Persons persons;
  @Autowired AuditTrail audit;

  @Test
  void aNewPersonIsConfirmedWithTheCodeTextedToTheAccountsOwnPhoneAndGetsThatPhoneOnlyAsSelf() {
    Corner c = corner();
    String phone = Ids.phone();
    Api resident = Residents.login(api(), admin(), phone);
    Api.Res asked = resident.post("/api/v1/resident/persons", doc(Ids.next(), "周新人", c.district(), "SELF"));
    assertThat(asked.status()).isEqualTo(202);
    assertThat(asked.str("status")).isEqualTo("PENDING_CONFIRMATION");
    assertThat(asked.header("Location")).endsWith("/api/v1/resident/persons/links/" + asked.str("linkId"));
    String linkId = asked.str("linkId");

    // waiting for the code: listed as pending, nothing else
    assertThat(ok(resident.get("/api/v1/resident/persons"), 200).json().size()).isZero();
    Api.Res pending = ok(resident.get("/api/v1/resident/persons/links"), 200);
    assertThat(pending.json().get(0).path("linkId").asString()).isEqualTo(linkId);
    assertThat(pending.json().get(0).path("nameMasked").asString()).isEqualTo("周*人");

    String code = Residents.linkCode(admin(), phone, linkId);
    String wrong = code.equals("000000") ? "111111" : "000000";
    Api.Res bad = resident.post("/api/v1/resident/persons/links/" + linkId + "/confirmation", Api.obj("code", wrong));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.code()).isEqualTo("INVALID_CODE");
    assertThat(bad.str("field")).isEqualTo("code");
    Api stranger = Residents.login(api(), admin(), Ids.phone());
    Api.Res foreign = stranger.post("/api/v1/resident/persons/links/" + linkId + "/confirmation", Api.obj("code", code));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.code()).isEqualTo("LINK_NOT_FOUND");

    Api.Res linked = Residents.confirm(resident, linkId, code);
    assertThat(linked.str("confirmedBy")).isEqualTo("NEW_PERSON");
    assertThat(linked.str("nameMasked")).isEqualTo("周*人");
    String person = linked.str("personId");
    assertThat(persons.view(UUID.fromString(person)).orElseThrow().phoneMasked()).isEqualTo(Masks.phone(phone));
    assertThat(resident.post("/api/v1/resident/persons/links/" + linkId + "/confirmation", Api.obj("code", code)).code())
        .as("a code is used once").isEqualTo("INVALID_CODE");
    assertThat(ok(resident.get("/api/v1/resident/persons"), 200).json().get(0).path("relation").asString()).isEqualTo("SELF");
    ok(resident.get("/api/v1/resident/persons/" + person + "/appointment"), 200);

    // a family member gets no phone; a second SELF is refused
    String child = Residents.addNewPerson(resident, admin(), Ids.next(), "周小童", c.district());
    assertThat(persons.view(UUID.fromString(child)).orElseThrow().phoneMasked()).isNullOrEmpty();
    Api.Res secondSelf = resident.post("/api/v1/resident/persons", doc(Ids.next(), "周别人", c.district(), "SELF"));
    assertThat(secondSelf.status()).isEqualTo(409);
    assertThat(secondSelf.code()).isEqualTo("SELF_ALREADY_ON_ACCOUNT");
  }

  @Test
  void aPersonWithAHolderIsConfirmedByTheHoldersPhoneWhoIsToldOfTheLink() {
    Corner c = corner();
    String motherPhone = Ids.phone();
    Api mother = Residents.login(api(), admin(), motherPhone);
    String childId = Ids.next();
    String child = Residents.addNewPerson(mother, admin(), childId, "吴小宝", c.district());
    sampleOnSite(c, childId, "吴小宝"); // before anyone else asks

    String otherPhone = Ids.phone();
    Api other = Residents.login(api(), admin(), otherPhone);
    String linkId = ok(other.post("/api/v1/resident/persons", doc(childId, "吴小宝", c.district(), null)), 202).str("linkId");
    String code = Residents.linkCode(admin(), motherPhone, linkId);
    await().atMost(Duration.ofSeconds(20)).until(messages::idle);
    assertThat(Residents.linkCodeIfSent(admin(), otherPhone, linkId)).as("the requester gets no code").isNull();
    assertThat(outbox(motherPhone)).anyMatch(t -> t.contains(Masks.phone(otherPhone)) && t.contains("吴*宝"));

    // waiting for the holder: nothing of the child
    assertNothingOf(other, child);

    Api.Res linked = Residents.confirm(other, linkId, code);
    assertThat(linked.str("confirmedBy")).isEqualTo("HOLDER");
    assertThat(linked.json().has("resultsFrom")).as("the holder vouched for the whole history").isFalse();
    assertThat(ok(other.get("/api/v1/resident/persons/" + child + "/results"), 200).json().size())
        .as("the sampling before the link is shown").isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> outbox(motherPhone).stream()
        .anyMatch(t -> t.contains("was added to the account " + Masks.phone(otherPhone))));
  }

  @Test
  void aWrongNameAnswersTheSameAndSendsNothingLinksNothing() {
    Corner c = corner();
    String motherPhone = Ids.phone();
    Api mother = Residents.login(api(), admin(), motherPhone);
    String childId = Ids.next();
    String child = Residents.addNewPerson(mother, admin(), childId, "郑小宝", c.district());
    await().atMost(Duration.ofSeconds(20)).until(messages::idle);
    int motherTexts = outbox(motherPhone).size();

    String attackerPhone = Ids.phone();
    Api attacker = Residents.login(api(), admin(), attackerPhone);
    int attackerTexts = outbox(attackerPhone).size();
    Api.Res asked = attacker.post("/api/v1/resident/persons", doc(childId, "郑大宝", c.district(), null));
    assertThat(asked.status()).isEqualTo(202);
    assertThat(asked.str("status")).isEqualTo("PENDING_CONFIRMATION");
    String linkId = asked.str("linkId");
    await().atMost(Duration.ofSeconds(20)).until(messages::idle);
    assertThat(outbox(motherPhone)).hasSize(motherTexts);
    assertThat(outbox(attackerPhone)).hasSize(attackerTexts);
    for (int i = 0; i < 6; i++) {
      Api.Res guess = attacker.post("/api/v1/resident/persons/links/" + linkId + "/confirmation",
          Api.obj("code", String.format("%06d", i)));
      assertThat(guess.status()).isEqualTo(422);
      assertThat(guess.code()).isEqualTo("INVALID_CODE");
    }
    assertThat(jdbc.sql("select count(*) from account_persons where person_id = ?::uuid").param(child).query(Long.class).single())
        .isEqualTo(1L);
    assertNothingOf(attacker, child);
  }

  @Test
  void aGuardianLinksAPersonWithoutPhoneOrHolderAuditedAndSeesOnlyLaterSamplings() {
    Corner c = corner();
    String elderId = Ids.next();
    String elder = sampleOnSite(c, elderId, "冯老人"); // registered on site: no phone, no holder
    clock.advance(Duration.ofHours(13));

    String phone = Ids.phone();
    Api guardian = Residents.login(api(), admin(), phone);
    String linkId = ok(guardian.post("/api/v1/resident/persons", doc(elderId, "冯老人", c.district(), null)), 202).str("linkId");
    assertNothingOf(guardian, elder);
    Api.Res linked = Residents.confirm(guardian, linkId, Residents.linkCode(admin(), phone, linkId));
    assertThat(linked.str("personId")).isEqualTo(elder);
    assertThat(linked.str("confirmedBy")).isEqualTo("GUARDIAN");
    assertThat(linked.str("resultsFrom")).isNotBlank();
    assertThat(audit.of("person", elder)).anyMatch(e -> e.action().equals("PERSON_LINKED") && e.detail().startsWith("GUARDIAN")
        && e.actor().startsWith("resident:"));
    assertThat(persons.view(UUID.fromString(elder)).orElseThrow().phoneMasked()).as("a guardian's link gives no phone").isNullOrEmpty();
    Persons.Recipient told = persons.recipients(List.of(UUID.fromString(elder))).get(UUID.fromString(elder)).get(0);
    assertThat(told.phone()).isEqualTo(phone);
    assertThat(told.mayHearOf(clock.instant().minus(Duration.ofHours(13)))).as("no texts about samplings before the link").isFalse();
    assertThat(told.mayHearOf(clock.instant().plusSeconds(1))).isTrue();

    assertThat(ok(guardian.get("/api/v1/resident/persons/" + elder + "/results"), 200).json().size())
        .as("the sampling before the link stays hidden").isZero();
    assertThat(ok(guardian.get("/api/v1/resident/persons/" + elder + "/health-code"), 200).json().has("lastTest")).isFalse();
    sampleOnSite(c, elderId, "冯老人");
    assertThat(ok(guardian.get("/api/v1/resident/persons/" + elder + "/results"), 200).json().size()).isEqualTo(1);
    assertThat(ok(guardian.get("/api/v1/resident/persons/" + elder + "/health-code"), 200).json().path("lastTest")
        .path("status").asString()).isEqualTo("PENDING");

    // now the elder has a holder: a second guardian needs the first one's code
    String secondPhone = Ids.phone();
    Api second = Residents.login(api(), admin(), secondPhone);
    String again = ok(second.post("/api/v1/resident/persons", doc(elderId, "冯老人", c.district(), null)), 202).str("linkId");
    Residents.linkCode(admin(), phone, again);
    await().atMost(Duration.ofSeconds(20)).until(messages::idle);
    assertThat(Residents.linkCodeIfSent(admin(), secondPhone, again)).isNull();
  }

  @Test
  void linkingNeverOverwritesAPhone() {
    Corner c = corner();
    String ownPhone = Ids.phone();
    Api own = Residents.login(api(), admin(), ownPhone);
    String id = Ids.next();
    String person = Residents.addPerson(own, admin(), doc(id, "陈自己", c.district(), "SELF")).str("personId");

    String otherPhone = Ids.phone();
    Api other = Residents.login(api(), admin(), otherPhone);
    String linkId = ok(other.post("/api/v1/resident/persons", doc(id, "陈自己", c.district(), "SELF")), 202).str("linkId");
    Api.Res linked = Residents.confirm(other, linkId, Residents.linkCode(admin(), ownPhone, linkId));
    assertThat(linked.str("confirmedBy")).isEqualTo("HOLDER");
    assertThat(persons.view(UUID.fromString(person)).orElseThrow().phoneMasked()).isEqualTo(Masks.phone(ownPhone));
    // results are texted to the person's own phone only
    assertThat(persons.recipients(List.of(UUID.fromString(person))).get(UUID.fromString(person)))
        .extracting(Persons.Recipient::phone).containsExactly(ownPhone);
  }

  @Test
  void requestsAreLimitedPerDocumentAndPerAccount() {
    Corner c = corner();
    Api first = Residents.login(api(), admin(), Ids.phone());
    String id = Ids.next();
    for (int i = 0; i < 5; i++) {
      ok(first.post("/api/v1/resident/persons", doc(id, "王" + i, c.district(), null)), 202);
    }
    Api.Res sixth = first.post("/api/v1/resident/persons", doc(id, "王五", c.district(), null));
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.code()).isEqualTo("LINK_RATE_LIMITED");
    assertThat(Long.parseLong(sixth.header("Retry-After"))).isBetween(1L, 3600L);
    Api second = Residents.login(api(), admin(), Ids.phone());
    assertThat(second.post("/api/v1/resident/persons", doc(id, "王五", c.district(), null)).status())
        .as("per document, whichever account asks").isEqualTo(429);

    Api busy = Residents.login(api(), admin(), Ids.phone());
    for (int i = 0; i < 10; i++) {
      ok(busy.post("/api/v1/resident/persons", doc(Ids.next(), "李" + i, c.district(), null)), 202);
    }
    Api.Res eleventh = busy.post("/api/v1/resident/persons", doc(Ids.next(), "李十", c.district(), null));
    assertThat(eleventh.status()).isEqualTo(429);
    assertThat(eleventh.code()).isEqualTo("LINK_RATE_LIMITED");
    assertThat(eleventh.header("Retry-After")).isNotBlank();

    clock.advance(Duration.ofHours(1));
    ok(busy.post("/api/v1/resident/persons", doc(Ids.next(), "李十", c.district(), null)), 202);
  }

  /** What a request may look like on record. */
  enum OnRecord { UNKNOWN, HELD, WRONG_NAME, UNHELD }

  @Test
  void theAnswerDoesNotTellWhoIsRegisteredNeitherByItsBytesNorByItsTime() {
    Corner c = corner();
    Api mother = Residents.login(api(), admin(), Ids.phone());
    String heldId = Ids.next();
    Residents.addNewPerson(mother, admin(), heldId, "蒋小宝", c.district());
    String unheldId = Ids.next();
    sampleOnSite(c, unheldId, "蒋老人");
    Api prober = Residents.login(api(), admin(), Ids.phone());

    Map<OnRecord, List<Long>> nanos = new EnumMap<>(OnRecord.class);
    Map<OnRecord, String> bodies = new EnumMap<>(OnRecord.class);
    Random shuffle = new Random(13);
    for (int round = 0; round < 31; round++) {
      clock.advance(Duration.ofHours(25)); // new windows of the limits: this test measures, it does not probe them
      List<OnRecord> order = new ArrayList<>(List.of(OnRecord.values()));
      Collections.shuffle(order, shuffle);
      for (OnRecord kind : order) {
        Map<String, Object> body = switch (kind) {
          case UNKNOWN -> doc(Ids.next(), "蒋小宝", c.district(), null);
          case HELD -> doc(heldId, "蒋小宝", c.district(), null);
          case WRONG_NAME -> doc(heldId, "蒋大宝", c.district(), null);
          case UNHELD -> doc(unheldId, "蒋老人", c.district(), null);
        };
        long t0 = System.nanoTime();
        Api.Res r = prober.post("/api/v1/resident/persons", body);
        long took = System.nanoTime() - t0;
        assertThat(r.status()).as(kind + ": " + r).isEqualTo(202);
        String normalised = r.text().replace(r.str("linkId"), "<id>").replace(r.str("expiresAt"), "<at>");
        bodies.merge(kind, normalised, (a, b) -> {
          assertThat(b).isEqualTo(a);
          return a;
        });
        if (round > 0) { // the first round warms up
          nanos.computeIfAbsent(kind, k -> new ArrayList<>()).add(took);
        }
      }
    }
    assertThat(bodies.values()).as("byte for byte, but for the link id and its expiry").containsOnly(bodies.get(OnRecord.UNKNOWN));
    Map<OnRecord, Double> medians = new EnumMap<>(OnRecord.class);
    nanos.forEach((k, v) -> medians.put(k, median(v) / 1e6));
    System.out.println("link request, median ms by what is on record: " + medians);
    double fastest = Collections.min(medians.values());
    double slowest = Collections.max(medians.values());
    assertThat(slowest / fastest).as("median ms per kind %s", medians).isLessThan(3.0);
    assertThat(slowest - fastest).as("median ms per kind %s", medians).isLessThan(50.0);
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, Object> doc(String idNumber, String name, String district, String relation) {
    Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("idType", "CN_ID", "idNumber", idNumber, "name", name,
        "districtCode", district));
    if (relation != null) {
      body.put("relation", relation);
    }
    return body;
  }

  /** Binds the person by ID card in a single tube at the corner's site (registering them if unknown): their id. */
  private String sampleOnSite(Corner c, String idNumber, String name) {
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", idNumber, "name", name)), 201);
    return jdbc.sql("select person_id::text from bindings where tube_code = ?").param(tube).query(String.class).single();
  }

  /** A link waiting for its code opens nothing of the person. */
  private void assertNothingOf(Api resident, String person) {
    String base = "/api/v1/resident/persons/" + person;
    for (Api.Res r : List.of(resident.get(base + "/results"), resident.get(base + "/appointment"),
        resident.get(base + "/appointment.png"), resident.get(base + "/health-code"), resident.get(base + "/health-code.png"),
        resident.get(base + "/exposures"), resident.post(base + "/check-ins", Api.obj("venueToken", "VN" + "A".repeat(31))))) {
      assertThat(r.status()).as(r.toString()).isIn(403, 404);
    }
    assertThat(ok(resident.get("/api/v1/resident/persons"), 200).json().findValuesAsString("personId")).doesNotContain(person);
  }

  private List<String> outbox(String phone) {
    List<String> texts = new ArrayList<>();
    ok(admin().get("/api/v1/admin/sms-outbox?phone=" + phone + "&limit=200"), 200).json().forEach(m -> texts.add(m.path("text").asString()));
    return texts;
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
