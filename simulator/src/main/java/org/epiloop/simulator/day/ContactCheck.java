package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One case's tracing list compared with the contacts {@link ContactRules} expects, line by line
 * while the list streams in: it keeps the expected contacts (one slot each, marked when listed),
 * the person ids of the unexpected lines (none when the server is right), counts per level and
 * the first problem lines — never the list itself, which for a large city runs to six figures.
 *
 * <p>The verdict is the one of comparing the whole lists: each expected contact must be listed
 * once, at its level, with its exposure venue and time; nobody else may be listed. If a line has
 * no person id, the list does not say who each contact is and only the counts per level are
 * compared.
 */
final class ContactCheck {

  /** An expected contact and the level it was listed at (null until listed). */
  private static final class Slot {
    final ContactRules.Contact expected;
    String listedLevel;

    Slot(ContactRules.Contact expected) {
      this.expected = expected;
    }
  }

  private final String caseId;
  private final int caseIndex;
  private final Function<String, String> who;
  private Map<String, Slot> expected;
  private Set<String> unexpectedListed = new HashSet<>();
  private final Map<String, Long> want = new TreeMap<>();
  private final Map<String, Long> got = new TreeMap<>();
  private final Map<String, Long> missing = new TreeMap<>();
  private final Map<String, Long> unexpected = new TreeMap<>();
  private final ProblemLines twice = new ProblemLines();
  private final ProblemLines expectedSide = new ProblemLines();
  private final ProblemLines unexpectedSide = new ProblemLines();
  private final ProblemLines problems = new ProblemLines();
  private long lines;
  private long unexpectedTotal;
  private long exposureDiffers;
  private boolean identified = true;
  private boolean finished;

  /**
   * @param caseId the case, for the problem lines
   * @param caseIndex the case person's index, for the problem lines
   * @param expected the contacts the rules give for the case
   * @param who how a person id is shown in a problem line
   */
  ContactCheck(String caseId, int caseIndex, Collection<ContactRules.Contact> expected, Function<String, String> who) {
    this.caseId = caseId;
    this.caseIndex = caseIndex;
    this.who = who;
    this.expected = new HashMap<>(Math.max(16, expected.size() * 4 / 3 + 1));
    for (ContactRules.Contact e : expected) {
      this.expected.put(e.personId(), new Slot(e));
      want.merge(e.level(), 1L, Long::sum);
    }
  }

  /** One line of the tracing list; {@code personId} null or blank if the list does not identify contacts. */
  void accept(String personId, String level, String venueCode, Instant at) {
    if (finished) {
      throw new IllegalStateException("finished");
    }
    lines++;
    got.merge(String.valueOf(level), 1L, Long::sum);
    if (personId == null || personId.isBlank()) {
      identified = false;
      return;
    }
    Slot s = expected.get(personId);
    if (s != null ? s.listedLevel != null : !unexpectedListed.add(personId)) {
      twice.add(() -> "case " + caseId + " lists person " + personId + " twice");
      return;
    }
    if (s != null) {
      s.listedLevel = String.valueOf(level);
    }
    ContactRules.Contact e = s == null ? null : s.expected;
    if (e != null && e.level().equals(level)) {
      if (!e.at().equals(at) || !e.venueCode().equals(venueCode)) {
        exposureDiffers++;
        expectedSide.add(() -> "case " + caseId + ": " + e.level() + " contact " + who.apply(personId) + " expected exposed at "
            + e.venueCode() + " " + e.at() + ", listed at " + venueCode + " " + at);
      }
      return;
    }
    unexpectedTotal++;
    if (ContactRules.CLOSE.equals(level) || ContactRules.SECONDARY.equals(level)) {
      unexpected.merge(level, 1L, Long::sum);
    } else {
      unexpectedSide.add(() -> "case " + caseId + ": contact " + personId + " with level " + level);
    }
    unexpectedSide.add(() -> "case " + caseId + " (person " + caseIndex + "): " + who.apply(personId) + " listed as " + level + " at "
        + venueCode + " " + at + (e == null ? ", not a contact by the check-ins" : ", expected " + e.level()));
  }

  /** After the last line: the expected contacts never listed at their level are missing. */
  ContactCheck finish() {
    if (finished) {
      return this;
    }
    finished = true;
    if (identified) {
      for (Slot s : expected.values()) {
        ContactRules.Contact e = s.expected;
        if (!e.level().equals(s.listedLevel)) {
          missing.merge(e.level(), 1L, Long::sum);
          String listedAs = s.listedLevel;
          expectedSide.add(() -> "case " + caseId + " (person " + caseIndex + "): " + e.level() + " contact " + who.apply(e.personId())
              + " exposed at " + e.venueCode() + " " + e.at() + (listedAs == null ? " not listed" : " listed as " + listedAs));
        }
      }
      problems.addAll(twice);
      problems.addAll(expectedSide);
      problems.addAll(unexpectedSide);
    } else {
      // Without person ids a set comparison is impossible: only the numbers per level count.
      unexpected.clear();
      exposureDiffers = 0;
      unexpectedTotal = 0;
      for (String level : List.of(ContactRules.CLOSE, ContactRules.SECONDARY)) {
        long d = want(level) - got(level);
        if (d > 0) {
          missing.put(level, d);
        } else if (d < 0) {
          unexpected.put(level, -d);
          unexpectedTotal += -d;
        }
      }
      if (missingTotal() + unexpectedTotal > 0) {
        problems.add("case " + caseId + ": expected " + want + " contacts, listed " + got);
      }
    }
    expected = Map.of(); // the verdict is in the counts now: let the slots (and the table) go
    unexpectedListed = Set.of();
    return this;
  }

  private void requireFinished() {
    if (!finished) {
      throw new IllegalStateException("not finished");
    }
  }

  /** Lines read, duplicates and lines without a person id included. */
  long lines() {
    return lines;
  }

  /** Whether every line named its person (else only the counts per level were compared). */
  boolean identified() {
    return identified;
  }

  /** Expected contacts of this level. */
  long want(String level) {
    return want.getOrDefault(level, 0L);
  }

  /** Listed lines of this level. */
  long got(String level) {
    return got.getOrDefault(level, 0L);
  }

  /** Expected contacts by level, e.g. {CLOSE=3, SECONDARY=5}. */
  Map<String, Long> wanted() {
    return Map.copyOf(want);
  }

  /** Listed lines by level. */
  Map<String, Long> listed() {
    return new TreeMap<>(got);
  }

  long missing(String level) {
    requireFinished();
    return missing.getOrDefault(level, 0L);
  }

  long missingTotal() {
    return missing.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Unexpected persons listed at this level (CLOSE or SECONDARY). */
  long unexpected(String level) {
    requireFinished();
    return unexpected.getOrDefault(level, 0L);
  }

  /** Unexpected persons listed, at any level (an unknown level too). */
  long unexpectedTotal() {
    requireFinished();
    return unexpectedTotal;
  }

  /** Contacts listed at their level but with another exposure venue or time. */
  long exposureDiffers() {
    requireFinished();
    return exposureDiffers;
  }

  /** The problems found, counted in full, the first few kept. */
  ProblemLines problems() {
    requireFinished();
    return problems;
  }
}
