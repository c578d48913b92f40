package org.epiloop.lab;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run's results were approved (by a reviewer or by auto-review) and are final. Published
 * once per run, in the releasing transaction; the results module turns it into person
 * results through the event publication registry, so a crash in between loses nothing.
 *
 * @param runId the run
 * @param labCode the lab
 * @param releasedAt when
 * @param tubes each tested tube with its interpretation
 */
public record RunReleased(UUID runId, String labCode, Instant releasedAt, List<TubeResult> tubes) {

  /**
   * One tube's released result.
   *
   * @param tubeCode the tube
   * @param interpretation {@code NEGATIVE}, {@code POSITIVE}, {@code INCONCLUSIVE} or {@code INVALID}
   * @param ctOrf1ab Ct of the ORF1ab target, null without amplification (or in events stored before it was carried)
   * @param ctN Ct of the N target, likewise
   * @param ctIc Ct of the internal control, likewise
   */
  public record TubeResult(String tubeCode, String interpretation, Double ctOrf1ab, Double ctN, Double ctIc) {}
}
