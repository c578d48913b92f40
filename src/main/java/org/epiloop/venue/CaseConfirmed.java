package org.epiloop.venue;

import java.time.Instant;
import java.util.UUID;

/**
 * An official confirmed a case. Published once per case, in the confirming transaction
 * (through the event publication registry, so a crash loses nothing).
 *
 * @param caseId the case
 * @param personId the confirmed person
 * @param confirmedAt when the case was confirmed (as the official gave it)
 */
public record CaseConfirmed(UUID caseId, UUID personId, Instant confirmedAt) {}
