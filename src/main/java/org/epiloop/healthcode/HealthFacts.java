package org.epiloop.healthcode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.epiloop.monitoring.Declarations;
import org.epiloop.results.PersonResults;

/**
 * What the rules know about one person at one moment.
 *
 * @param confirmedAt when the person was confirmed as a case, or null
 * @param contacts the person's exposures to cases
 * @param override an official's override in force, or null
 * @param standing test results and outstanding recalls
 * @param negativesSampledAt when each negative test of the person was sampled, oldest first
 * @param declared arrivals (with the origin's level at the arrival time), declared fevers and grid workers' uploads
 * @param zone the city's time zone, for the dates a reason shows
 */
record HealthFacts(Instant confirmedAt, List<Contact> contacts, Override override, PersonResults.Standing standing,
    List<Instant> negativesSampledAt, Declarations.Facts declared, ZoneId zone) {

  /** Whether a negative test was sampled at or after {@code since}. */
  boolean negativeSince(Instant since) {
    return negativesSampledAt.stream().anyMatch(t -> !t.isBefore(since));
  }

  /** Whether two negative tests sampled at or after {@code since} lie at least {@code gap} apart. */
  boolean twoNegativesApartSince(Instant since, java.time.Duration gap) {
    List<Instant> after = negativesSampledAt.stream().filter(t -> !t.isBefore(since)).sorted().toList();
    return after.size() >= 2 && !after.get(after.size() - 1).isBefore(after.get(0).plus(gap));
  }

  /** An exposure: {@code CLOSE} or {@code SECONDARY}. */
  record Contact(String level, Instant exposedAt) {}

  /** An official's decision, in force until {@code until}. */
  record Override(HealthColor color, String reason, Instant until) {}
}
