package org.epiloop.alerts;

import java.time.Instant;

/**
 * A stored alert was raised for the first time (raising the same kind and subject again
 * publishes nothing). Published in the raising transaction through the event publication
 * registry, so the on-duty page survives a crash; listeners must be idempotent.
 *
 * @param alertId the stored alert
 * @param kind its kind, e.g. {@code CRITICAL_RESULT}
 * @param subject what it is about (a tube, box, lab or site code; never personal data)
 * @param detail the words officials read
 * @param raisedAt when it was raised
 */
public record AlertRaised(long alertId, String kind, String subject, String detail, Instant raisedAt) {}
