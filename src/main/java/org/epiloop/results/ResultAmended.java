package org.epiloop.results;

import java.time.Instant;
import java.util.UUID;

/**
 * A released person result was corrected: one lab reviewer proposed it with a reason and
 * another approved it. Published in the approving transaction; the health code is recomputed,
 * the province receives an {@code amended} report, certificates of the old value are revoked.
 *
 * @param amendmentId the approved amendment
 * @param bindingId the sampling whose result changed (the result's stable key)
 * @param personId the person
 * @param labCode the lab that released it
 * @param from the value before
 * @param to the value now
 * @param revision the result's revision after the change (1 for the first amendment)
 * @param reason why, as the proposing reviewer wrote it
 * @param amendedAt when it was approved
 * @param kind an error corrected or a result revised (null in events stored before kinds existed)
 */
public record ResultAmended(UUID amendmentId, UUID bindingId, UUID personId, String labCode, ResultStatus from, ResultStatus to,
    int revision, String reason, Instant amendedAt, AmendmentKind kind) {}
