package org.epiloop.simulator.day;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import org.epiloop.simulator.api.EpiloopClient;

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

  /**
   * A case the official confirmed, with the server's answers: the counts of {@code POST /cases},
   * the case person's check-ins, and its tracing list compared with the expected contacts as it
   * was read (null if the case could not be confirmed).
   */
  record ConfirmedCase(Person person, String caseId, Instant confirmedAt, int closeCount, int secondaryCount, int checkIns,
      ContactCheck contacts, String problem) {}

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
    // The log is closed: the rules see exactly the check-ins the server had when it traced.
    ContactRules rules = new ContactRules(day.checkInLog, Duration.ofMinutes(day.o.contactWindowMinutes),
        Duration.ofDays(day.o.contactLookbackDays));
    for (Person p : day.city.persons) {
      if (!"POSITIVE".equals(p.finalStatus)) {
        continue;
      }
      Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
      ApiResponse c = day.http.post("POST /cases", "/api/v1/cases", day.city.official.token(), Map.of("idType", "CN_ID", "idNumber",
          p.idNumber(), "confirmedAt", OffsetDateTime.ofInstant(sent, ZoneOffset.UTC).toString()), "NOT_FOUND");
      if (c.status() == 404 && !"PERSON_NOT_FOUND".equals(c.code()) || c.status() == 405) {
        day.log.info("cases: the server answers %d to POST /api/v1/cases; skipped", c.status());
        day.casesOn = false;
        return;
      }
      if (c.status() != 201) {
        day.cases.add(new ConfirmedCase(p, null, sent, 0, 0, 0, null, "person " + p.index + ": POST /cases answered " + c.errorKey()));
        continue;
      }
      day.metrics.count("cases confirmed");
      String id = c.text("caseId");
      Instant confirmedAt = instant(c.body().path("confirmedAt"));
      Instant at = confirmedAt == null ? sent : confirmedAt;
      List<ContactRules.Contact> expected = p.personId == null ? List.of() : List.copyOf(rules.expected(p.personId, at).values());
      EpiloopClient.Streamed<ContactList> contacts = day.http.getStreaming("GET /cases/{id}/contacts", "/api/v1/cases/" + id + "/contacts",
          day.city.official.token(), body -> readContacts(body, new ContactCheck(id, p.index, expected, this::who)));
      String problem = null;
      ContactCheck check;
      if (contacts.response().status() != 200 || contacts.value() == null) {
        problem = "case " + id + ": GET /cases/{id}/contacts answered " + contacts.response().errorKey()
            + (contacts.response().detail() == null ? "" : " (" + contacts.response().detail() + ")");
        check = new ContactCheck(id, p.index, expected, this::who).finish();
      } else if (contacts.value().notAnArray() != null) {
        problem = "case " + id + ": the tracing list is not a JSON array (paged?): " + contacts.value().notAnArray();
        check = contacts.value().check();
      } else {
        check = contacts.value().check();
        day.metrics.count("case contacts found", check.lines());
        check.listed().forEach((level, n) -> day.metrics.count("case contacts found (" + level + ")", n));
      }
      day.cases.add(new ConfirmedCase(p, id, at, c.body().path("closeContacts").asInt(-1), c.body().path("secondaryContacts").asInt(-1),
          p.personId == null ? 0 : rules.of(p.personId).size(), check, problem));
    }
  }

  /** A tracing list as read: the finished comparison, and the start of the body if it was not a JSON array (else null). */
  record ContactList(ContactCheck check, String notAnArray) {}

  /**
   * Reads a tracing list (a JSON array of lines {@code {personId, level, venueCode, at, …}})
   * token by token into {@code check}, one line at a time, and finishes the check. Other fields
   * are skipped; a line that is not an object counts as one without a person id.
   */
  static ContactList readContacts(JsonParser p, ContactCheck check) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_ARRAY) {
      String body = t == null ? "(empty)" : t.isStructStart() ? String.valueOf(p.readValueAsTree()) : p.getText();
      return new ContactList(check.finish(), abbreviate(body));
    }
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new JsonParseException(p, "the tracing list ends inside the array");
      }
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        check.accept(null, "", null, null);
        continue;
      }
      String personId = null;
      String level = "";
      String venueCode = null;
      Instant at = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        t = p.nextToken();
        switch (field) {
          case "personId" -> personId = scalar(p, t);
          case "level" -> level = String.valueOf(scalar(p, t));
          case "venueCode" -> venueCode = scalar(p, t);
          case "at" -> at = t.isNumeric() ? epochSeconds(p.getDecimalValue()) : isoInstant(scalar(p, t));
          default -> p.skipChildren();
        }
      }
      check.accept(personId, level, venueCode, at);
    }
    return new ContactList(check.finish(), null);
  }

  /** The text of a scalar value (null for JSON null); an object or array is skipped and read as null. */
  private static String scalar(JsonParser p, JsonToken t) throws IOException {
    if (t.isStructStart()) {
      p.skipChildren();
      return null;
    }
    return t == JsonToken.VALUE_NULL ? null : p.getText();
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
   * count or answer). The lists were compared as they were read ({@link ContactCheck}); this
   * adds up the verdicts.
   */
  Invariants.Check check() {
    Map<String, Tally> tallies = Map.of(ContactRules.CLOSE, new Tally(), ContactRules.SECONDARY, new Tally());
    ProblemLines problems = new ProblemLines();
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
      if (c.checkIns() > 0) {
        withCheckIns++;
      }
      ContactCheck k = c.contacts();
      countsOnly |= !k.identified();
      for (Map.Entry<String, Tally> e : tallies.entrySet()) {
        Tally t = e.getValue();
        t.expected += k.want(e.getKey());
        t.found += k.got(e.getKey());
        t.missing += k.missing(e.getKey());
        t.unexpected += k.unexpected(e.getKey());
      }
      exposureDiffers += k.exposureDiffers();
      problems.addAll(k.problems());
      long close = k.got(ContactRules.CLOSE);
      long secondary = k.got(ContactRules.SECONDARY);
      if (c.closeCount() != close || c.secondaryCount() != secondary) {
        problems.add("case " + c.caseId() + ": POST /cases answered " + c.closeCount() + " close and " + c.secondaryCount()
            + " secondary contacts, the tracing list has " + k.listed());
      }
      String line = String.format(java.util.Locale.ROOT, "case of person %d (%d check-ins): CLOSE %d/%d, SECONDARY %d/%d found/expected, "
              + "%d missing, %d unexpected", c.person().index, c.checkIns(), close, k.want(ContactRules.CLOSE), secondary,
          k.want(ContactRules.SECONDARY), k.missingTotal(), k.unexpectedTotal());
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
        + (perCase.isEmpty() ? "" : "; " + Invariants.first(perCase)) + (problems.isEmpty() ? "" : "; problems: " + problems.summary());
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

  /** A timestamp of an answer: ISO-8601 (with offset or Z), or epoch seconds with a fraction; null if neither. */
  static Instant instant(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    return n.isNumber() ? epochSeconds(n.decimalValue()) : isoInstant(n.asText());
  }

  /** Epoch seconds with a fraction. */
  static Instant epochSeconds(BigDecimal s) {
    return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  /** ISO-8601 with offset or Z; null if not one (or null). */
  static Instant isoInstant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
