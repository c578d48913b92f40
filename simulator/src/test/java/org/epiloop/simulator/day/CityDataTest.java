package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.data.IdNumbers;
import org.junit.jupiter.api.Test;

/** The synthetic residents and phone numbers, without a server. */
class CityDataTest {

  private static City city(DayOptions o) {
    Metrics m = new Metrics();
    Http http = new Http(new EpiloopClient(URI.create("http://localhost:1"), Duration.ofSeconds(1), Duration.ofSeconds(1)), m);
    return new City(o, http, m, new Log("test", true));
  }

  @Test
  void residentsHaveValidDistinctIdNumbersAndFamiliesShareASite() {
    DayOptions o = new DayOptions();
    o.persons = 5000;
    o.sites = 7;
    o.prevalence = 0.01;
    City c = city(o);
    c.residents();
    assertEquals(5000, c.persons.size());
    Set<String> ids = new HashSet<>();
    LocalDate today = LocalDate.now();
    for (Person p : c.persons) {
      assertTrue(IdNumbers.isValid(p.idNumber(), today), p.idNumber());
      assertEquals(IdNumbers.checkCharacter(p.idNumber()), p.idNumber().charAt(17), "check character of " + p.idNumber());
      assertTrue(ids.add(p.idNumber()), "repeated " + p.idNumber());
      assertTrue(p.name().length() >= 2 && p.name().length() <= 3, p.name());
      assertTrue(p.site >= 0 && p.site < 7);
    }
    long onAccounts = c.accounts.stream().mapToLong(a -> a.persons.size()).sum();
    assertEquals(1000, onAccounts, "the appointment share of 0.2");
    Set<String> phones = new HashSet<>();
    for (Account a : c.accounts) {
      assertTrue(a.persons.size() >= 1 && a.persons.size() <= o.familyMax);
      int site = a.persons.get(0).site;
      assertTrue(a.persons.stream().allMatch(p -> p.site == site && p.account == a), "a family comes to one site");
      assertTrue(a.phone.matches("1[3-9]\\d{9}"), a.phone);
      assertTrue(phones.add(a.phone));
    }
    int arriving = c.arrivals.stream().mapToInt(s -> s.stream().mapToInt(List::size).sum()).sum();
    assertEquals(5000, arriving, "everybody arrives once");
    long infected = c.persons.stream().filter(p -> p.infected).count();
    assertTrue(infected > 20 && infected < 90, "about 1 % infected: " + infected);
    long single = c.persons.stream().filter(p -> p.single).count();
    assertTrue(single > 180 && single < 330, "about 5 % in single tubes: " + single);
  }

  @Test
  void twoRunsOfTheSameSeedMeetDifferentPersons() {
    DayOptions o = new DayOptions();
    o.persons = 100;
    City a = city(o);
    City b = city(o);
    a.residents();
    b.residents();
    Set<String> first = new HashSet<>();
    a.persons.forEach(p -> first.add(p.idNumber()));
    assertTrue(b.persons.stream().noneMatch(p -> first.contains(p.idNumber())),
        "a second run against the same server must not meet persons sampled in the last 12 hours");
  }

  @Test
  void phoneNumbersAreMobileNumbersAndNeverRepeat() {
    PhoneNumbers phones = new PhoneNumbers(42);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      String n = phones.next();
      assertTrue(n.matches("1[3-9]\\d{9}"), n);
      assertTrue(seen.add(n), "repeated " + n);
    }
    assertEquals(new PhoneNumbers(42).number(12345), new PhoneNumbers(42).number(12345));
    assertTrue(!new PhoneNumbers(42).number(0).equals(new PhoneNumbers(43).number(0)));
  }

  @Test
  void optionsAreChecked() {
    DayOptions o = new DayOptions();
    o.adminPassword = "x";
    assertEquals(List.of(), o.problems());
    o.pool = 7;
    o.prevalence = 2;
    o.missingRate = 0.3;
    o.rejectRate = 0.3;
    List<String> p = o.problems();
    assertTrue(p.contains("--pool must be 5, 10 or 20"), p.toString());
    assertTrue(p.contains("--prevalence must be between 0 and 1"), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("--missing-rate + --reject-rate")), p.toString());
  }

  @Test
  void markdownTableCellsKeepEscapedBars() {
    assertEquals(List.of("a", "b|c", "`d`"), HtmlReport.cells("| a | b\\|c | `d` |"));
    assertEquals("&lt;b&gt; <code>x&amp;y</code> <b>bold</b>", HtmlReport.inline("<b> `x&y` **bold**"));
    assertEquals(1.0, HtmlReport.niceCeil(0.7));
    assertEquals(250.0, HtmlReport.niceCeil(201));
    assertEquals(500.0, HtmlReport.niceCeil(251));
  }

  @Test
  void venuesGrowWithTheCityButNeverBelowTheOldCount() {
    DayOptions o = new DayOptions();
    assertEquals(5, o.venuesPer1000);
    int[][] personsAndVenues = {{1, 3}, {500, 3}, {2_000, 10}, {20_000, 100}, {1_000_000, 5_000}};
    for (int[] pv : personsAndVenues) {
      o.persons = pv[0];
      assertEquals(pv[1], o.venueCount(), pv[0] + " persons");
    }
    o.venuesPer1000 = 0; // the old count, max(3, persons / 2000)
    o.persons = 20_000;
    assertEquals(10, o.venueCount());
    o.persons = 1_000_000;
    assertEquals(500, o.venueCount());
    o.venuesPer1000 = 1000; // the product must not overflow an int
    o.persons = 3_000_000;
    assertEquals(3_000_000, o.venueCount());
    o.venuesPer1000 = -1;
    assertTrue(o.problems().contains("--venues-per-1000 must be 0..1000"), o.problems().toString());
  }
}
