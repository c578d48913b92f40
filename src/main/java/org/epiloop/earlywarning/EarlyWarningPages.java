package org.epiloop.earlywarning;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Static shell of the officials' early-warning page ({@code /js/early-warning.js}): the warnings of
 * the last days with their reasons, and the rules in order with their thresholds as a form.
 */
@Controller
class EarlyWarningPages {

  @GetMapping("/early-warning")
  String page() {
    return "early-warning";
  }
}
