package org.epiloop.simulator.day;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The simulator's own statement of the server's contact rules (V3), computed from the
 * simulator's log of the check-ins it made, so that the tracing list the server returns for a
 * case can be checked contact by contact. The rules (the server's {@code Cases}):
 *
 * <ul>
 *   <li>the <b>lookback</b> is {@code [confirmedAt − lookback, confirmedAt]};
 *   <li><b>CLOSE</b>: everyone but the case who checked in at a venue at most {@code window}
 *       before or after (bounds inclusive) one of the case's check-ins there that lies in the
 *       lookback — the other check-in itself need not lie in the lookback;
 *   <li><b>SECONDARY</b>: everyone but the case and the close contacts who checked in at a
 *       venue at most {@code window} before or after a close contact's check-in there that lies
 *       in the lookback and at or after that close contact's exposure;
 *   <li>each person is listed once per case, at their earliest matching check-in (the lower
 *       venue code on a tie); a close contact's exposure is that check-in's time.
 * </ul>
 */
final class ContactRules {

  static final String CLOSE = "CLOSE";
  static final String SECONDARY = "SECONDARY";

  /** One check-in as the server answered it: who, where (venue code), when (the server's {@code at}). */
  record CheckIn(String personId, String venueCode, Instant at) {
    CheckIn {
      Objects.requireNonNull(personId, "personId");
      Objects.requireNonNull(venueCode, "venueCode");
      Objects.requireNonNull(at, "at");
    }
  }

  /** One line of a tracing list: the person, CLOSE or SECONDARY, and the check-in that made them a contact. */
  record Contact(String personId, String level, String venueCode, Instant at) {}

  private static final Comparator<CheckIn> BY_TIME = Comparator.comparing(CheckIn::at).thenComparing(CheckIn::venueCode);

  private final Duration window;
  private final Duration lookback;
  private final Map<String, List<CheckIn>> byVenue = new HashMap<>();
  private final Map<String, List<CheckIn>> byPerson = new HashMap<>();

  /** Indexes the log by venue and by person, each in time order. */
  ContactRules(Collection<CheckIn> log, Duration window, Duration lookback) {
    this.window = Objects.requireNonNull(window, "window");
    this.lookback = Objects.requireNonNull(lookback, "lookback");
    for (CheckIn c : log) {
      byVenue.computeIfAbsent(c.venueCode(), v -> new ArrayList<>()).add(c);
      byPerson.computeIfAbsent(c.personId(), p -> new ArrayList<>()).add(c);
    }
    byVenue.values().forEach(l -> l.sort(BY_TIME));
    byPerson.values().forEach(l -> l.sort(BY_TIME));
  }

  /** The check-ins of one person, in time order. */
  List<CheckIn> of(String personId) {
    return byPerson.getOrDefault(personId, List.of());
  }

  /**
   * The tracing list the server must produce for this case: person id → contact, close
   * contacts first, each level in the order of exposure.
   */
  Map<String, Contact> expected(String casePersonId, Instant confirmedAt) {
    Instant from = confirmedAt.minus(lookback);
    Map<String, CheckIn> close = new HashMap<>();
    for (CheckIn c : of(casePersonId)) {
      if (inLookback(c, from, confirmedAt)) {
        for (CheckIn o : around(c)) {
          if (!o.personId().equals(casePersonId)) {
            close.merge(o.personId(), o, ContactRules::earlier);
          }
        }
      }
    }
    Map<String, CheckIn> secondary = new HashMap<>();
    for (Map.Entry<String, CheckIn> k : close.entrySet()) {
      Instant exposed = k.getValue().at();
      for (CheckIn ck : of(k.getKey())) {
        if (!ck.at().isBefore(exposed) && inLookback(ck, from, confirmedAt)) {
          for (CheckIn o : around(ck)) {
            if (!o.personId().equals(casePersonId) && !close.containsKey(o.personId())) {
              secondary.merge(o.personId(), o, ContactRules::earlier);
            }
          }
        }
      }
    }
    Map<String, Contact> list = new LinkedHashMap<>();
    add(list, close, CLOSE);
    add(list, secondary, SECONDARY);
    return list;
  }

  private static void add(Map<String, Contact> list, Map<String, CheckIn> found, String level) {
    found.entrySet().stream()
        .sorted(Map.Entry.<String, CheckIn>comparingByValue(BY_TIME).thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> list.put(e.getKey(), new Contact(e.getKey(), level, e.getValue().venueCode(), e.getValue().at())));
  }

  private static boolean inLookback(CheckIn c, Instant from, Instant to) {
    return !c.at().isBefore(from) && !c.at().isAfter(to);
  }

  /** Everyone's check-ins at c's venue at most the window before or after c (inclusive), c itself included. */
  private List<CheckIn> around(CheckIn c) {
    List<CheckIn> at = byVenue.getOrDefault(c.venueCode(), List.of());
    Instant lo = c.at().minus(window);
    Instant hi = c.at().plus(window);
    List<CheckIn> out = new ArrayList<>();
    for (int i = firstNotBefore(at, lo); i < at.size() && !at.get(i).at().isAfter(hi); i++) {
      out.add(at.get(i));
    }
    return out;
  }

  /** Index of the first check-in at or after t in a time-ordered list. */
  private static int firstNotBefore(List<CheckIn> l, Instant t) {
    int lo = 0;
    int hi = l.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (l.get(mid).at().isBefore(t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static CheckIn earlier(CheckIn a, CheckIn b) {
    return BY_TIME.compare(b, a) < 0 ? b : a;
  }
}
