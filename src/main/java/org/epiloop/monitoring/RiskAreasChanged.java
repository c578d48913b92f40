package org.epiloop.monitoring;

/**
 * An official added or ended a risk area. Codes of persons who declared an arrival from a region
 * it covers may change (a level entered late can reach back to an earlier arrival).
 *
 * @param prefix the area's code without trailing zero pairs: it covers every region code starting with it
 */
public record RiskAreasChanged(String prefix) {}
