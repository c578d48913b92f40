package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Venue check-ins and case tracing (V2, V3), with {@code --venues}:
 *
 * <ul>
 *   <li>the persons who will be confirmed as cases (the infected, who all have a resident account
 *       when venues are on) check in at two venues early in the day, in real time, before any
 *       result is out — unaware, as cases are;
 *   <li>residents with a NEGATIVE result check in at one venue, every other one at a second
 *       venue afterwards: those at a case's venues become close contacts, and those who meet a
 *       close contact at their next venue secondary contacts;
 *   <li>every check-in the server stored is logged with the server's {@code at};
 *   <li>at the end the positives are confirmed as cases ({@code POST /cases}) and each case's
 *       tracing list ({@code GET /cases/{id}/contacts}) is compared, contact by contact, with the
 *       one {@link ContactRules} computes from the log.
 * </ul>
 *
 * <p>Check-ins are stamped by the server's clock when the request arrives, so they are made in
 * real time during the run; a day lasts minutes, so most fall within the contact window of each
 * other, and the expected lists are computed exactly from the logged times whatever the day's length.
 */
final class CaseTracing {

  /** A case the official confirmed, with the server's answers. */
  record ConfirmedCase(Person person, String caseId, Instant confirmedAt, int closeCount, int secondaryCount,
      List<ContactRules.Contact> listed, boolean identified, String problem) {}

  private final CityDay day;
  private Map<String, Integer> indexByPersonId;

  CaseTracing(CityDay day) {
    this.day = day;
  }

  /** Venue {@code k}'s first venue: spreads persons (or cases) over all venues. */
  static int firstVenue(int k, int venues) {
    return Math.floorMod(k, venues);
  }

  /** A second venue, different from the first when there are two or more. */
  static int secondVenue(int k, int venues) {
    if (venues < 2) {
      return 0;
    }
    return Math.floorMod(firstVenue(k, venues) + 1 + Math.floorMod(k / venues, venues - 1), venues);
  }

  /**
   * Schedules the future cases' check-ins on the residents' executor (the day waits for them):
   * case {@code k} checks in at its first venue, then at its second.
   */
  void scheduleCaseVisits() {
    if (!day.venuesOn || !day.checkInsOn || day.city.venues.isEmpty()) {
      return;
    }
    int k = 0;
    for (Person p : day.city.persons) {
      if (!p.infected || p.account == null || p.account.token == null || p.personId == null) {
        continue;
      }
      int n = k++;
      day.residentChecksInFlight.incrementAndGet();
      try {
        day.residents.schedule(() -> {
          try {
            int venues = day.city.venues.size();
            if (checkIn(p, day.city.venues.get(firstVenue(n, venues)), "case") && venues > 1) {
              checkIn(p, day.city.venues.get(secondVenue(n, venues)), "case");
            }
          } catch (RuntimeException e) {
            day.crash(e);
          } finally {
            day.residentChecksInFlight.decrementAndGet();
          }
        }, 500L + 250L * n, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        day.residentChecksInFlight.decrementAndGet();
      }
    }
    if (k > 0) {
      day.log.info("venues: %d future cases check in at venues early in the day", k);
    }
  }

  /** A resident who saw a NEGATIVE result goes out: one venue, every other one a second venue afterwards. */
  void negativeVisits(Person p) {
    int venues = day.city.venues.size();
    if (venues == 0) {
      return;
    }
    if (checkIn(p, day.city.venues.get(firstVenue(p.index, venues)), "negative") && venues > 1 && p.index % 2 == 0) {
      checkIn(p, day.city.venues.get(secondVenue(p.index, venues)), "negative");
    }
  }

  /**
   * One check-in through the resident API with the account's token, sent once (a check-in has no
   * idempotency key: a resend could store it twice). A stored check-in is logged with the
   * server's time; one whose answer never came is counted as uncertain. False if not stored.
   */
  boolean checkIn(Person p, City.Venue venue, String who) {
    day.checkInsInFlight.incrementAndGet();
    try {
      if (day.checkInsClosed || !day.checkInsOn) {
        return false;
      }
      ApiResponse c = day.http.postOnce("POST /resident/persons/{id}/check-ins", "/api/v1/resident/persons/" + p.personId + "/check-ins",
          p.account.token, Map.of("venueToken", venue.token()), Map.of(), "NOT_FOUND");
      if (c.status() == 404 && day.checkInsOn) {
        day.checkInsOn = false;
        day.log.info("venues: the server answers 404 to POST /api/v1/resident/persons/{id}/check-ins; check-ins are skipped");
        return false;
      }
      if (c.isTransportFailure() || c.status() >= 500) {
        day.checkInsUncertain.incrementAndGet();
        return false;
      }
      if (!c.is2xx()) {
        return false;
      }
      Instant at = instant(c.body().path("at"));
      if (at == null) {
        day.checkInsUncertain.incrementAndGet();
        day.metrics.error("POST /resident/persons/{id}/check-ins", "no at", "answer " + c.body());
        return false;
      }
      day.checkInLog.add(new ContactRules.CheckIn(p.personId, venue.code(), at));
      day.metrics.count("venue check-ins" + (c.body().path("admitted").asBoolean(true) ? " (admitted)" : " (refused)"));
      day.metrics.count("venue check-ins by " + who + " residents");
      return true;
    } finally {
      day.checkInsInFlight.decrementAndGet();
    }
  }

  /**
   * Confirms every positive person as a case and reads their tracing lists. No check-in is
   * made any more from here on, and those on their way are awaited first, so that the log is
   * exactly what the server saw when it found the contacts.
   */
  void confirmCases() {
    day.checkInsClosed = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (day.checkInsInFlight.get() > 0 && System.nanoTime() < deadline) {
      CityDay.sleep(50);
    }
    if (day.checkInsInFlight.get() > 0) {
      day.log.info("cases: %d check-ins still on their way after 60 s", day.checkInsInFlight.get());
      day.checkInsUncertain.addAndGet(day.checkInsInFlight.get());
    }
    for (Person p : day.city.persons) {
      if (!"POSITIVE".equals(p.finalStatus)) {
        continue;
      }
      Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
      ApiResponse c = day.http.post("POST /cases", "/api/v1/cases", day.city.official.token(), Map.of("idType", "CN_ID", "idNumber",
          p.idNumber, "confirmedAt", OffsetDateTime.ofInstant(sent, ZoneOffset.UTC).toString()), "NOT_FOUND");
      if (c.status() == 404 && !"PERSON_NOT_FOUND".equals(c.code()) || c.status() == 405) {
        day.log.info("cases: the server answers %d to POST /api/v1/cases; skipped", c.status());
        day.casesOn = false;
        return;
      }
      if (c.status() != 201) {
        day.cases.add(new ConfirmedCase(p, null, sent, 0, 0, List.of(), true, "person " + p.index + ": POST /cases answered "
            + c.errorKey()));
        continue;
      }
      day.metrics.count("cases confirmed");
      String id = c.text("caseId");
      Instant confirmedAt = instant(c.body().path("confirmedAt"));
      ApiResponse contacts = day.http.get("GET /cases/{id}/contacts", "/api/v1/cases/" + id + "/contacts", day.city.official.token());
      String problem = null;
      List<ContactRules.Contact> listed = new ArrayList<>();
      boolean identified = true;
      if (contacts.status() != 200) {
        problem = "case " + id + ": GET /cases/{id}/contacts answered " + contacts.errorKey();
      } else if (!contacts.body().isArray()) {
        problem = "case " + id + ": the tracing list is not a JSON array (paged?): " + abbreviate(contacts.body().toString());
      } else {
        for (JsonNode line : contacts.body()) {
          String personId = line.path("personId").asText(null);
          identified &= personId != null && !personId.isBlank();
          listed.add(new ContactRules.Contact(personId, line.path("level").asText(), line.path("venueCode").asText(null),
              instant(line.path("at"))));
        }
        day.metrics.count("case contacts found", listed.size());
        listed.forEach(l -> day.metrics.count("case contacts found (" + l.level() + ")"));
      }
      day.cases.add(new ConfirmedCase(p, id, confirmedAt == null ? sent : confirmedAt, c.body().path("closeContacts").asInt(-1),
          c.body().path("secondaryContacts").asInt(-1), listed, identified, problem));
    }
  }

  /** Counts of one level over all cases. */
  private static final class Tally {
    long expected;
    long found;
    long missing;
    long unexpected;

    @Override
    public String toString() {
      return "expected " + expected + ", found " + found + ", missing " + missing + ", unexpected " + unexpected;
    }
  }

  /**
   * The invariant: for each case, the tracing list the server returned is the one the rules
   * give on the simulator's log of check-ins — the same persons at the same level, each at the
   * same venue and time. Fails on any contact missing or unexpected (and on a wrong exposure,
   * count or answer).
   */
  Invariants.Check check() {
    ContactRules rules = new ContactRules(day.checkInLog, Duration.ofMinutes(day.o.contactWindowMinutes),
        Duration.ofDays(day.o.contactLookbackDays));
    Map<String, Tally> tallies = Map.of(ContactRules.CLOSE, new Tally(), ContactRules.SECONDARY, new Tally());
    List<String> problems = new ArrayList<>();
    List<String> perCase = new ArrayList<>();
    long exposureDiffers = 0;
    int withCheckIns = 0;
    boolean countsOnly = false;
    for (ConfirmedCase c : day.cases) {
      if (c.problem() != null) {
        problems.add(c.problem());
      }
      if (c.caseId() == null) {
        continue;
      }
      String casePerson = c.person().personId;
      if (casePerson != null && !rules.of(casePerson).isEmpty()) {
        withCheckIns++;
      }
      Map<String, ContactRules.Contact> expected = casePerson == null ? Map.of() : rules.expected(casePerson, c.confirmedAt());
      Map<String, Long> want = count(expected.values());
      Map<String, Long> got = count(c.listed());
      long caseMissing = 0;
      long caseUnexpected = 0;
      if (c.identified()) {
        Map<String, ContactRules.Contact> listed = new HashMap<>();
        for (ContactRules.Contact l : c.listed()) {
          if (listed.put(l.personId(), l) != null) {
            problems.add("case " + c.caseId() + " lists person " + l.personId() + " twice");
          }
        }
        for (ContactRules.Contact e : expected.values()) {
          ContactRules.Contact l = listed.get(e.personId());
          if (l == null || !l.level().equals(e.level())) {
            caseMissing++;
            tallies.get(e.level()).missing++;
            problems.add("case " + c.caseId() + " (person " + c.person().index + "): " + e.level() + " contact " + who(e.personId())
                + " exposed at " + e.venueCode() + " " + e.at() + (l == null ? " not listed" : " listed as " + l.level()));
          } else if (!e.at().equals(l.at()) || !e.venueCode().equals(l.venueCode())) {
            exposureDiffers++;
            problems.add("case " + c.caseId() + ": " + e.level() + " contact " + who(e.personId()) + " expected exposed at "
                + e.venueCode() + " " + e.at() + ", listed at " + l.venueCode() + " " + l.at());
          }
        }
        for (ContactRules.Contact l : listed.values()) {
          ContactRules.Contact e = expected.get(l.personId());
          if (e == null || !e.level().equals(l.level())) {
            caseUnexpected++;
            Tally t = tallies.get(l.level());
            if (t != null) {
              t.unexpected++;
            } else {
              problems.add("case " + c.caseId() + ": contact " + l.personId() + " with level " + l.level());
            }
            problems.add("case " + c.caseId() + " (person " + c.person().index + "): " + who(l.personId()) + " listed as " + l.level()
                + " at " + l.venueCode() + " " + l.at() + (e == null ? ", not a contact by the check-ins" : ", expected " + e.level()));
          }
        }
      } else {
        // The tracing list does not say who each contact is (masked without a person id): a set
        // comparison is impossible, so only the numbers per level are compared.
        countsOnly = true;
        for (String level : tallies.keySet()) {
          long d = want.getOrDefault(level, 0L) - got.getOrDefault(level, 0L);
          caseMissing += Math.max(0, d);
          caseUnexpected += Math.max(0, -d);
          tallies.get(level).missing += Math.max(0, d);
          tallies.get(level).unexpected += Math.max(0, -d);
        }
        if (caseMissing + caseUnexpected > 0) {
          problems.add("case " + c.caseId() + ": expected " + want + " contacts, listed " + got);
        }
      }
      for (String level : tallies.keySet()) {
        tallies.get(level).expected += want.getOrDefault(level, 0L);
        tallies.get(level).found += got.getOrDefault(level, 0L);
      }
      if (c.closeCount() != got.getOrDefault(ContactRules.CLOSE, 0L)
          || c.secondaryCount() != got.getOrDefault(ContactRules.SECONDARY, 0L)) {
        problems.add("case " + c.caseId() + ": POST /cases answered " + c.closeCount() + " close and " + c.secondaryCount()
            + " secondary contacts, the tracing list has " + got);
      }
      String line = String.format(java.util.Locale.ROOT, "case of person %d (%d check-ins): CLOSE %d/%d, SECONDARY %d/%d found/expected, "
              + "%d missing, %d unexpected", c.person().index, casePerson == null ? 0 : rules.of(casePerson).size(),
          got.getOrDefault(ContactRules.CLOSE, 0L), want.getOrDefault(ContactRules.CLOSE, 0L),
          got.getOrDefault(ContactRules.SECONDARY, 0L), want.getOrDefault(ContactRules.SECONDARY, 0L), caseMissing, caseUnexpected);
      perCase.add(line);
      day.log.info("cases: %s", line);
    }
    Tally close = tallies.get(ContactRules.CLOSE);
    Tally secondary = tallies.get(ContactRules.SECONDARY);
    boolean passed = problems.isEmpty() && close.missing + close.unexpected + secondary.missing + secondary.unexpected == 0
        && exposureDiffers == 0;
    long confirmed = day.cases.stream().filter(c -> c.caseId() != null).count();
    String detail = confirmed + " cases confirmed" + (confirmed == day.cases.size() ? "" : " of " + day.cases.size() + " positives")
        + " (" + withCheckIns + " with check-ins); " + day.checkInLog.size()
        + " check-ins logged" + (day.checkInsUncertain.get() > 0 ? " (+" + day.checkInsUncertain.get() + " whose answer was lost)" : "")
        + ", window ±" + day.o.contactWindowMinutes + " min, lookback " + day.o.contactLookbackDays + " d; CLOSE: " + close
        + "; SECONDARY: " + secondary + (countsOnly ? " (counts per level only: the list does not identify contacts)" : "")
        + (exposureDiffers > 0 ? "; exposure venue/time differs for " + exposureDiffers : "")
        + (perCase.isEmpty() ? "" : "; " + Invariants.first(perCase)) + (problems.isEmpty() ? "" : "; problems: " + Invariants.first(problems));
    return new Invariants.Check("every case's contacts found (tracing list = contacts by the check-ins)", passed, detail);
  }

  private String who(String personId) {
    if (indexByPersonId == null) {
      indexByPersonId = new HashMap<>();
      day.city.persons.stream().filter(p -> p.personId != null).forEach(p -> indexByPersonId.put(p.personId, p.index));
    }
    Integer index = indexByPersonId.get(personId);
    return index == null ? "unknown person " + personId : "person " + index + " (" + personId + ")";
  }

  private static Map<String, Long> count(java.util.Collection<ContactRules.Contact> contacts) {
    Map<String, Long> m = new java.util.TreeMap<>();
    contacts.forEach(c -> m.merge(String.valueOf(c.level()), 1L, Long::sum));
    return m;
  }

  /** A timestamp of an answer: ISO-8601 (with offset or Z), or epoch seconds with a fraction; null if neither. */
  static Instant instant(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      BigDecimal s = n.decimalValue();
      return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      return OffsetDateTime.parse(n.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
