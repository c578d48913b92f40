package org.epiloop.lab;

import java.time.Instant;
import java.util.List;

/**
 * Tubes that will never be tested: packed in a box but not found when its receipt closed, or
 * rejected at the bench. Their members must be sampled again. Published once per receipt.
 *
 * @param boxCode the box
 * @param labCode the lab that received it
 * @param at when the receipt closed
 * @param tubes the tubes and why
 */
public record TubesLost(String boxCode, String labCode, Instant at, List<Lost> tubes) {

  /**
   * One lost tube.
   *
   * @param tubeCode the tube
   * @param reason {@code MISSING} or {@code REJECTED}
   */
  public record Lost(String tubeCode, String reason) {}
}
