package org.epiloop.shared;

import java.time.Instant;

/**
 * One step in the chain of custody of a tube or a box (T1, L7), as the module that owns the
 * step reports it: the custody search puts the steps of sampling, transport and the lab in one
 * line. Never personal data.
 *
 * @param at when
 * @param stage SAMPLING, TRANSPORT, LAB or RESULT
 * @param event what happened, upper-case ({@code TUBE_OPENED}, {@code HANDED_OVER}, {@code RECEIVED})
 * @param place the site, lab or box it happened at
 * @param actor the user (or {@code auto-review}, {@code system})
 * @param detail a few words more, or null
 */
public record CustodyStep(Instant at, String stage, String event, String place, String actor, String detail) {}
