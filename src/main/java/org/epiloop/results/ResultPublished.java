package org.epiloop.results;

import java.util.List;
import java.util.UUID;

/**
 * Person results were written: for a released run, or for tubes lost before testing.
 * Published once per run or per lost batch; health codes and notifications follow it.
 *
 * @param runId the run, or null for tubes that never reached one
 * @param labCode the lab
 * @param personIds the persons whose results changed
 * @param positives single-tube positives among them
 * @param recalled persons told to come back for a retest
 */
public record ResultPublished(UUID runId, String labCode, List<UUID> personIds, int positives, int recalled) {}
