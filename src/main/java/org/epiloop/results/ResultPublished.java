package org.epiloop.results;

import java.util.UUID;

/**
 * The results of a released run were turned into person results. Published once per run.
 *
 * @param runId the run
 * @param labCode the lab
 * @param persons person results written
 * @param positives single-tube positives among them
 * @param recalled persons recalled for a retest
 */
public record ResultPublished(UUID runId, String labCode, int persons, int positives, int recalled) {}
