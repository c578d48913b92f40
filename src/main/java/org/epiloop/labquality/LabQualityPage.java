package org.epiloop.labquality;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The lab quality page ({@code /lab/quality}): a static shell whose script
 * ({@code /js/quality.js}) shows a lab's Levey–Jennings charts (per target and control lot, with
 * the broken Westgard rules marked), the runs QC flagged, reagent stock with days left, and the
 * instruments with their due dates; the director adds lots and instruments there. A page of its
 * own so that the lab director's page can link to it.
 */
@Controller
class LabQualityPage {

  @GetMapping("/lab/quality")
  String quality() {
    return "quality";
  }
}
