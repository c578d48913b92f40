package org.epiloop.venue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The contacts of a confirmed case were found. Published once per case, in the confirming
 * transaction right after {@link CaseConfirmed}, possibly with an empty list.
 *
 * @param caseId the case
 * @param confirmedAt when the case was confirmed
 * @param contacts one entry per person, at their earliest exposure; a close contact is never
 *     also listed as secondary
 */
public record ContactsFound(UUID caseId, Instant confirmedAt, List<Contact> contacts) {

  /**
   * One contact.
   *
   * @param personId the person
   * @param level {@code CLOSE} (at a venue with the case within the contact window) or
   *     {@code SECONDARY} (at a venue with a close contact within the window, after the close
   *     contact's exposure)
   * @param exposedAt the person's check-in that matched
   * @param venueCode where
   */
  public record Contact(UUID personId, String level, Instant exposedAt, String venueCode) {}
}
