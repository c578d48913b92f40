package org.epiloop.healthcode;

import java.time.Instant;
import java.util.List;
import org.epiloop.results.PersonResults;

/**
 * What the rules know about one person at one moment.
 *
 * @param confirmedAt when the person was confirmed as a case, or null
 * @param contacts the person's exposures to cases
 * @param override an official's override in force, or null
 * @param standing test results and outstanding recalls
 */
record HealthFacts(Instant confirmedAt, List<Contact> contacts, Override override, PersonResults.Standing standing) {

  /** An exposure: {@code CLOSE} or {@code SECONDARY}. */
  record Contact(String level, Instant exposedAt) {}

  /** An official's decision, in force until {@code until}. */
  record Override(HealthColor color, String reason, Instant until) {}
}
