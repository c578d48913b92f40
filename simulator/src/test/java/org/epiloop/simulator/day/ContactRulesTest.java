package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.simulator.day.ContactRules.CheckIn;
import org.epiloop.simulator.day.ContactRules.Contact;
import org.junit.jupiter.api.Test;

/** The expected tracing list of a case from a log of check-ins: the server's rules, bounds inclusive. */
class ContactRulesTest {

  private static final Duration WINDOW = Duration.ofMinutes(60);
  private static final Duration LOOKBACK = Duration.ofDays(4);
  private static final Duration MICRO = Duration.ofNanos(1000);
  private static final Instant T0 = Instant.parse("2022-04-01T02:00:00Z");
  private static final Instant CONFIRMED = T0.plus(Duration.ofHours(6));

  private final List<CheckIn> log = new ArrayList<>();

  private void in(String person, String venue, Instant at) {
    log.add(new CheckIn(person, venue, at));
  }

  private Map<String, Contact> expected(String casePerson, Instant confirmed) {
    return new ContactRules(log, WINDOW, LOOKBACK).expected(casePerson, confirmed);
  }

  private static Instant t(long minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void closeContactsAreThoseAtTheSameVenueWithinTheWindowEitherWayBoundsIncluded() {
    in("case", "V1", T0);
    in("before-edge", "V1", T0.minus(WINDOW));
    in("after-edge", "V1", T0.plus(WINDOW));
    in("too-early", "V1", T0.minus(WINDOW).minus(MICRO));
    in("too-late", "V1", T0.plus(WINDOW).plus(MICRO));
    in("a-minute-late", "V1", t(61));
    in("same-time-elsewhere", "V2", T0);
    in("same-time", "V1", T0);

    Map<String, Contact> e = expected("case", CONFIRMED);

    assertEquals(List.of("before-edge", "same-time", "after-edge", "too-early", "too-late", "a-minute-late"), List.copyOf(e.keySet()),
        "close first, each level by exposure");
    for (String close : List.of("before-edge", "same-time", "after-edge")) {
      assertEquals(ContactRules.CLOSE, e.get(close).level(), close);
    }
    assertEquals(new Contact("after-edge", "CLOSE", "V1", T0.plus(WINDOW)), e.get("after-edge"));
    // just outside the case's window, but within that of a close contact's check-in there (their exposure)
    for (String secondary : List.of("too-early", "too-late", "a-minute-late")) {
      assertEquals(ContactRules.SECONDARY, e.get(secondary).level(), secondary);
    }
  }

  @Test
  void oneMicrosecondOutsideTheWindowIsNoContact() {
    in("case", "V1", T0);
    in("too-early", "V1", T0.minus(WINDOW).minus(MICRO));
    assertTrue(expected("case", CONFIRMED).isEmpty());
    log.clear();
    in("case", "V1", T0);
    in("too-late", "V1", T0.plus(WINDOW).plus(MICRO));
    assertTrue(expected("case", CONFIRMED).isEmpty());
    log.clear();
    in("case", "V1", T0);
    in("late-edge", "V1", T0.plus(WINDOW));
    in("early-edge", "V1", T0.minus(WINDOW));
    assertEquals(List.of("early-edge", "late-edge"), List.copyOf(expected("case", CONFIRMED).keySet()));
  }

  @Test
  void theCaseIsNeverItsOwnContactAndNobodyIsWithoutCheckIns() {
    in("case", "V1", T0);
    in("case", "V1", t(5));
    assertTrue(expected("case", CONFIRMED).isEmpty());
    assertTrue(expected("nobody", CONFIRMED).isEmpty());
  }

  @Test
  void onlyTheCasesCheckInsInTheLookbackCountButTheirContactsCheckInsMayLieOutsideIt() {
    Instant confirmed = t(120);
    Instant from = confirmed.minus(LOOKBACK);
    in("case", "V1", from); // first instant of the lookback: counts
    in("case", "V2", from.minus(MICRO)); // just before it: does not
    in("case", "V3", confirmed); // the confirmation itself: counts
    in("case", "V4", confirmed.plus(MICRO)); // after it: does not
    in("a", "V1", from.minus(Duration.ofMinutes(30))); // itself before the lookback, within the window of a case check-in in it
    in("b", "V2", from.minus(MICRO));
    in("c", "V3", confirmed.plus(WINDOW)); // after the confirmation, within the window
    in("d", "V4", confirmed.plus(MICRO));

    Map<String, Contact> e = expected("case", confirmed);

    assertEquals(List.of("a", "c"), List.copyOf(e.keySet()));
  }

  @Test
  void aPersonIsListedOnceAtTheirEarliestMatchingCheckInTheLowerVenueOnATie() {
    in("case", "V2", T0);
    in("case", "V1", T0);
    in("x", "V2", t(20));
    in("x", "V2", t(-10));
    in("x", "V1", t(30));
    in("y", "V2", t(5));
    in("y", "V1", t(5));

    Map<String, Contact> e = expected("case", CONFIRMED);

    assertEquals(new Contact("x", "CLOSE", "V2", t(-10)), e.get("x"));
    assertEquals(new Contact("y", "CLOSE", "V1", t(5)), e.get("y"));
    assertEquals(2, e.size());
  }

  @Test
  void secondaryContactsMetACloseContactWithinTheWindowOfACheckInAtOrAfterTheirExposure() {
    in("case", "V1", T0);
    in("k", "V3", t(-50)); // k's check-in before the exposure: does not spread
    in("k", "V1", t(10)); // the exposure
    in("k", "V2", t(30)); // after it
    in("s-before", "V2", t(30).minus(WINDOW)); // window bounds around k's check-in at V2
    in("s-after", "V2", t(30).plus(WINDOW));
    in("not-early", "V2", t(30).minus(WINDOW).minus(MICRO));
    in("not-late", "V2", t(30).plus(WINDOW).plus(MICRO));
    in("s-at-exposure-venue", "V1", t(10).plus(WINDOW)); // beyond the case's window, within k's at their exposure check-in
    in("met-k-before-exposure", "V3", t(-50));

    Map<String, Contact> e = expected("case", CONFIRMED);

    assertEquals(new Contact("k", "CLOSE", "V1", t(10)), e.get("k"));
    assertEquals(new Contact("s-before", "SECONDARY", "V2", t(30).minus(WINDOW)), e.get("s-before"));
    assertEquals(new Contact("s-after", "SECONDARY", "V2", t(30).plus(WINDOW)), e.get("s-after"));
    assertEquals(new Contact("s-at-exposure-venue", "SECONDARY", "V1", t(70)), e.get("s-at-exposure-venue"));
    assertEquals(List.of("k", "s-before", "s-at-exposure-venue", "s-after"), List.copyOf(e.keySet()), "close first, then by exposure");
  }

  @Test
  void closeWinsOverSecondaryAndTheCaseIsNeverSecondary() {
    in("case", "V1", T0);
    in("k", "V1", t(1));
    in("j", "V1", t(2));
    in("k", "V2", t(10));
    in("j", "V2", t(11)); // close, and met k: stays close
    in("s", "V2", t(12));
    in("k", "V3", t(5));
    in("case", "V3", t(65)); // within the window of k's check-in there (and k within the case's): the case is never secondary

    Map<String, Contact> e = expected("case", CONFIRMED);

    assertEquals("CLOSE", e.get("j").level());
    assertEquals(new Contact("j", "CLOSE", "V1", t(2)), e.get("j"));
    assertEquals("SECONDARY", e.get("s").level());
    assertTrue(!e.containsKey("case"));
    assertEquals(3, e.size());
  }

  @Test
  void aCloseContactsCheckInsAfterTheConfirmationDoNotSpread() {
    Instant confirmed = t(30);
    in("case", "V1", T0);
    in("k", "V1", t(5));
    in("k", "V2", confirmed); // the confirmation itself: counts
    in("k", "V3", confirmed.plus(MICRO)); // after it: does not
    in("s", "V2", confirmed.plus(WINDOW));
    in("u", "V3", confirmed.plus(MICRO));

    Map<String, Contact> e = expected("case", confirmed);

    assertEquals(List.of("k", "s"), List.copyOf(e.keySet()));
    assertEquals("SECONDARY", e.get("s").level());
  }

  @Test
  void secondaryExposureIsTheEarliestMatchingCheckInOverAllCloseContacts() {
    in("case", "V1", T0);
    in("k1", "V1", t(10));
    in("k2", "V1", t(20));
    in("k1", "V2", t(100));
    in("k2", "V3", t(100));
    in("s", "V3", t(90));
    in("s", "V2", t(150));

    Map<String, Contact> e = expected("case", CONFIRMED);

    assertEquals(new Contact("s", "SECONDARY", "V3", t(90)), e.get("s"));
  }

  @Test
  void casesAndNegativeResidentsAreSpreadOverDistinctVenues() {
    for (int venues = 2; venues <= 12; venues++) {
      boolean[] seconds = new boolean[venues];
      for (int k = 0; k < 500; k++) {
        int first = CaseTracing.firstVenue(k, venues);
        int second = CaseTracing.secondVenue(k, venues);
        assertTrue(first >= 0 && first < venues && second >= 0 && second < venues);
        assertNotEquals(first, second, "k " + k + " of " + venues + " venues");
        seconds[second] = true;
      }
      for (boolean s : seconds) {
        assertTrue(s, "every venue is someone's second venue");
      }
    }
    assertEquals(0, CaseTracing.secondVenue(7, 1));
  }

  @Test
  void answerTimestampsParseAsIsoWithOffsetOrEpochSeconds() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertEquals(Instant.parse("2022-04-01T02:00:00.123456Z"), CaseTracing.instant(f.textNode("2022-04-01T02:00:00.123456Z")));
    assertEquals(Instant.parse("2022-04-01T02:00:00.123456Z"), CaseTracing.instant(f.textNode("2022-04-01T10:00:00.123456+08:00")));
    assertEquals(Instant.parse("2022-04-01T02:00:00.123456Z"), CaseTracing.instant(f.numberNode(new BigDecimal("1648778400.123456"))));
    assertNull(CaseTracing.instant(f.textNode("yesterday")));
    assertNull(CaseTracing.instant(f.nullNode()));
    assertNull(CaseTracing.instant(null));
  }
}
