package org.epiloop.lab;

import java.time.Instant;

/**
 * A lab opened a box at its bench. Published once per box.
 *
 * @param boxCode the box
 * @param labCode the lab that received it
 * @param siteCode where it was packed
 * @param expectedTubes how many tubes were packed in it
 * @param receivedAt when
 */
public record BoxReceived(String boxCode, String labCode, String siteCode, int expectedTubes, Instant receivedAt) {}
