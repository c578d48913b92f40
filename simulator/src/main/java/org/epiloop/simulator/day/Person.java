package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One resident of the synthetic city and what happened to them today, as the simulator knows it. */
final class Person {

  final int index;
  final String idNumber;
  final String name;
  final int site;
  final boolean infected;
  /** Sampled in a single tube in the first round (elderly, alone …). */
  final boolean single;

  /** Set when pre-registered on a resident account. */
  volatile Account account;
  volatile String personId;
  volatile String appointmentCode;

  /** Distinct bindings the server answered with 201 for this person (replays add nothing). */
  private final Set<String> bindingIds = new LinkedHashSet<>();
  /** The tubes the person was bound to, in order. */
  private final List<Tube> tubes = new ArrayList<>();
  volatile Instant firstSampledAt;
  /** When the result of the person's latest sampling was published final (NEGATIVE or POSITIVE). */
  volatile Instant finalAt;
  /** The final status the simulator expects: NEGATIVE or POSITIVE (null until final). */
  volatile String finalStatus;
  /** A scan of this person failed for good: not counted as sampled. */
  volatile boolean failed;
  /** How many times this person was recalled (pool positive, tube missing or rejected). */
  volatile int recalls;
  /** Whether a resident check of the final result was done. */
  volatile boolean residentChecked;

  Person(int index, String idNumber, String name, int site, boolean infected, boolean single) {
    this.index = index;
    this.idNumber = idNumber;
    this.name = name;
    this.site = site;
    this.infected = infected;
    this.single = single;
  }

  /** Records a 201; true if it is a new binding, false for a replay of a known one. */
  synchronized boolean bound(String bindingId, Tube tube) {
    boolean added = bindingIds.add(bindingId);
    if (added) {
      tubes.add(tube);
      if (firstSampledAt == null) {
        firstSampledAt = Instant.now();
      }
    }
    return added;
  }

  synchronized int bindings() {
    return bindingIds.size();
  }

  synchronized Tube latestTube() {
    return tubes.isEmpty() ? null : tubes.get(tubes.size() - 1);
  }

  synchronized List<Tube> tubes() {
    return List.copyOf(tubes);
  }

  boolean sampled() {
    return bindings() > 0;
  }
}
