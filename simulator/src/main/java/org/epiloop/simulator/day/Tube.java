package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A tube opened at a station: its members as bound, and its way through the day. */
final class Tube {

  enum Outcome { NEGATIVE, POSITIVE, LOST, ABANDONED }

  final String code;
  final int site;
  final int capacity;
  final boolean retest;
  private final List<Person> members = new ArrayList<>();
  /** Bindings the terminal has made or queued (its local count). */
  int localCount;
  volatile boolean sealed;
  volatile Instant firstSampledAt;
  volatile Instant sealedAt;
  volatile Box box;
  volatile Instant receivedAt;
  volatile Instant releasedAt;
  volatile Run run;
  volatile String lostReason;
  volatile Outcome outcome;

  Tube(String code, int site, int capacity, boolean retest) {
    this.code = code;
    this.site = site;
    this.capacity = capacity;
    this.retest = retest;
  }

  synchronized void add(Person p) {
    if (firstSampledAt == null) {
      firstSampledAt = Instant.now();
    }
    members.add(p);
  }

  synchronized List<Person> members() {
    return List.copyOf(members);
  }

  synchronized int size() {
    return members.size();
  }

  /** Whether any member is infected: the well amplifies. */
  synchronized boolean positive() {
    return members.stream().anyMatch(p -> p.infected);
  }

  boolean pooled() {
    return capacity > 1;
  }
}
