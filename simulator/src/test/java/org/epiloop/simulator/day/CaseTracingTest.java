package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.simulator.day.ContactRules.CheckIn;
import org.epiloop.simulator.day.ContactRules.Contact;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The contacts invariant on a hand-made log and tracing lists, without a server. */
class CaseTracingTest {

  private static final Instant T0 = Instant.parse("2022-04-01T02:00:00Z");
  private static final Instant CONFIRMED = T0.plus(Duration.ofHours(2));

  private final CityDay day;
  private final Person sick;

  CaseTracingTest() {
    DayOptions o = new DayOptions();
    o.quiet = true;
    o.url = "http://localhost:1";
    day = new CityDay(o);
    for (int i = 0; i < 4; i++) {
      Person p = new Person(i, "id" + i, "name" + i, 0, i == 0, false);
      p.personId = "p" + i;
      day.city.persons.add(p);
    }
    sick = day.city.persons.get(0);
    day.checkInLog.add(new CheckIn("p0", "V1", T0));
    day.checkInLog.add(new CheckIn("p1", "V1", T0.plus(Duration.ofMinutes(10)))); // close
    day.checkInLog.add(new CheckIn("p1", "V2", T0.plus(Duration.ofMinutes(20))));
    day.checkInLog.add(new CheckIn("p2", "V2", T0.plus(Duration.ofMinutes(50)))); // secondary
    day.checkInLog.add(new CheckIn("p3", "V3", T0)); // nobody
  }

  private static final Contact CLOSE_P1 = new Contact("p1", "CLOSE", "V1", T0.plus(Duration.ofMinutes(10)));
  private static final Contact SECONDARY_P2 = new Contact("p2", "SECONDARY", "V2", T0.plus(Duration.ofMinutes(50)));

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tracing list as the server sends it: a JSON array of lines, with fields the check ignores. */
  private static String json(List<Contact> listed) {
    ArrayNode a = JSON.createArrayNode();
    for (Contact c : listed) {
      ObjectNode line = a.addObject();
      line.put("personId", c.personId());
      line.put("maskedName", "*" + c.personId());
      line.put("level", c.level());
      line.put("venueCode", c.venueCode());
      line.put("at", c.at() == null ? null : c.at().toString());
      line.putObject("venue").put("name", "ignored").putArray("tags").add(1).add("x");
    }
    return a.toString();
  }

  /** Confirms the sick person as case-1 with this tracing list, read through the streaming reader, and checks. */
  private Invariants.Check check(List<Contact> listed, int close, int secondary) {
    return check(json(listed), close, secondary);
  }

  private Invariants.Check check(String body, int close, int secondary) {
    ContactRules rules = new ContactRules(day.checkInLog, Duration.ofMinutes(60), Duration.ofDays(4));
    ContactCheck k = new ContactCheck("case-1", sick.index, rules.expected("p0", CONFIRMED).values(), id -> "person " + id);
    CaseTracing.ContactList read;
    try (JsonParser p = JSON.getFactory().createParser(body)) {
      read = CaseTracing.readContacts(p, k);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    day.cases.add(new CaseTracing.ConfirmedCase(sick, "case-1", CONFIRMED, close, secondary, rules.of("p0").size(), read.check(),
        read.notAnArray() == null ? null : "not an array: " + read.notAnArray()));
    return new CaseTracing(day).check();
  }

  @Test
  void theExactListPasses() {
    Invariants.Check c = check(List.of(CLOSE_P1, SECONDARY_P2), 1, 1);
    assertTrue(c.passed(), c.detail());
    assertTrue(c.detail().contains("CLOSE: expected 1, found 1, missing 0, unexpected 0"), c.detail());
    assertTrue(c.detail().contains("SECONDARY: expected 1, found 1, missing 0, unexpected 0"), c.detail());
  }

  @Test
  void aMissingContactFails() {
    Invariants.Check c = check(List.of(CLOSE_P1), 1, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("SECONDARY: expected 1, found 0, missing 1, unexpected 0"), c.detail());
  }

  @Test
  void anUnexpectedContactOrAWrongLevelFails() {
    List<Contact> listed = new ArrayList<>(List.of(CLOSE_P1, SECONDARY_P2, new Contact("p3", "CLOSE", "V3", T0)));
    Invariants.Check c = check(listed, 2, 1);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("CLOSE: expected 1, found 2, missing 0, unexpected 1"), c.detail());

    day.cases.clear();
    c = check(List.of(CLOSE_P1, new Contact("p2", "CLOSE", "V2", T0.plus(Duration.ofMinutes(50)))), 2, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("listed as CLOSE"), c.detail());
  }

  @Test
  void aWrongExposureOrCountFails() {
    Invariants.Check c = check(List.of(new Contact("p1", "CLOSE", "V1", T0.plus(Duration.ofMinutes(11))), SECONDARY_P2), 1, 1);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("exposure venue/time differs for 1"), c.detail());

    day.cases.clear();
    c = check(List.of(CLOSE_P1, SECONDARY_P2), 1, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("POST /cases answered 1 close and 0 secondary"), c.detail());
  }

  @Test
  void withoutPersonIdsOnlyTheCountsPerLevelAreCompared() {
    Invariants.Check c = check(List.of(new Contact(null, "CLOSE", "V1", T0), new Contact(null, "SECONDARY", "V2", T0)), 1, 1);
    assertTrue(c.passed(), c.detail());
    assertTrue(c.detail().contains("counts per level only"), c.detail());

    day.cases.clear();
    c = check(List.of(new Contact(null, "CLOSE", "V1", T0)), 1, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("SECONDARY: expected 1, found 0, missing 1"), c.detail());
  }

  @Test
  void aCaseThatCouldNotBeConfirmedFails() {
    day.cases.add(new CaseTracing.ConfirmedCase(sick, null, CONFIRMED, 0, 0, 0, null, "person 0: POST /cases answered 500 -"));
    Invariants.Check c = new CaseTracing(day).check();
    assertFalse(c.passed(), c.detail());
  }

  @Test
  void epochSecondsAndExtraFieldsAreReadAndALineListedTwiceFails() {
    double at = CLOSE_P1.at().getEpochSecond(); // whole seconds: exact as a double
    String body = "[{\"venue\":{\"a\":[1,{\"personId\":\"p9\"}]},\"personId\":\"p1\",\"level\":\"CLOSE\",\"venueCode\":\"V1\",\"at\":" + at
        + "},{\"personId\":\"p2\",\"level\":\"SECONDARY\",\"venueCode\":\"V2\",\"at\":\"" + SECONDARY_P2.at() + "\",\"extra\":null}]";
    Invariants.Check c = check(body, 1, 1);
    assertTrue(c.passed(), c.detail());

    day.cases.clear();
    c = check(List.of(CLOSE_P1, SECONDARY_P2, CLOSE_P1), 2, 1);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("case case-1 lists person p1 twice"), c.detail());
  }

  @Test
  void aBodyThatIsNotAnArrayFailsWithEveryContactMissing() {
    Invariants.Check c = check("{\"content\":[],\"page\":0}", 0, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("not an array: {\"content\":[],\"page\":0}"), c.detail());
    assertTrue(c.detail().contains("CLOSE: expected 1, found 0, missing 1, unexpected 0"), c.detail());
  }

  @Test
  void aHugeWrongListKeepsOnlyTheFirstProblemLinesButCountsThemAll() {
    StringBuilder b = new StringBuilder("[");
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"personId\":\"x").append(i).append("\",\"level\":\"CLOSE\",\"venueCode\":\"V9\",\"at\":\"")
          .append(T0).append("\"}");
    }
    Invariants.Check c = check(b.append(']').toString(), n, 0);
    assertFalse(c.passed(), c.detail());
    assertTrue(c.detail().contains("CLOSE: expected 1, found " + n + ", missing 1, unexpected " + n), c.detail());
    assertTrue(c.detail().contains("SECONDARY: expected 1, found 0, missing 1, unexpected 0"), c.detail());
    assertTrue(c.detail().contains("(" + (n + 2) + " in all)"), c.detail());
    assertTrue(c.detail().length() < 4000, "the detail stays short: " + c.detail().length());
  }
}
