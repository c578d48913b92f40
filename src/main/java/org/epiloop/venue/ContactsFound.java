package org.epiloop.venue;

import java.time.Instant;
import java.util.UUID;

/**
 * The contacts of a confirmed case were found and stored. Published once per case, in the
 * confirming transaction right after {@link CaseConfirmed}. It carries counts, not the
 * contacts: a case at busy venues can have hundreds of thousands of secondary contacts, which
 * listeners read through {@link Exposures} instead of from a huge stored event.
 *
 * @param caseId the case
 * @param confirmedAt when the case was confirmed
 * @param closeContacts persons at a venue with the case within the contact window
 * @param secondaryContacts persons at a venue with a close contact after that contact's exposure
 */
public record ContactsFound(UUID caseId, Instant confirmedAt, int closeContacts, int secondaryContacts) {}
