package org.epiloop.earlywarning;

import java.time.Instant;
import java.util.List;

/**
 * What the rules read, gathered once per evaluation from the modules that own it: positives with
 * the person's district and grid, fever-clinic visits, declared fevers. No personal data.
 */
record Snapshot(Instant now, List<Positive> positives, List<Visit> visits, List<Fever> fevers) {

  record Positive(String districtCode, String gridCode, Instant reportedAt) {}

  record Visit(String districtCode, String gridCode, Instant visitedAt) {}

  record Fever(String districtCode, String gridCode, Instant declaredAt) {}
}
