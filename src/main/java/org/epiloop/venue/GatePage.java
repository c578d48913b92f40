package org.epiloop.venue;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The venue gate page (H3): a static shell whose script ({@code /js/gate.js}) logs a venue
 * manager (or any staff) in and sends every scanned health code to the online verification,
 * so the colour shown at the door is the person's colour now, not the one in a screenshot.
 */
@Controller
class GatePage {

  @GetMapping("/gate")
  String gate() {
    return "gate";
  }
}
