package org.epiloop.monitoring;

import java.time.Instant;
import java.util.UUID;

/**
 * A declaration was recorded (by a resident or uploaded by a grid worker). Published in the
 * declaring transaction through the event publication registry, so the follow-up task it calls
 * for is made even after a crash.
 *
 * @param declarationId the declaration
 * @param personId whom it is about
 * @param gridCode the grid whose workers follow it up
 * @param districtCode the grid's district
 * @param kind what it declares, most urgent first: {@code CLOSE_CONTACT}, {@code ARRIVAL} or {@code SYMPTOMS}
 * @param riskLevel for an arrival, the origin's level at the arrival time (null when none or not an arrival)
 * @param summary a line for the worker's task list, without personal data
 * @param declaredAt when
 */
public record DeclarationMade(UUID declarationId, UUID personId, String gridCode, String districtCode, String kind,
    RiskLevel riskLevel, String summary, Instant declaredAt) {}
