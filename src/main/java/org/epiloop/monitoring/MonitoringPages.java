package org.epiloop.monitoring;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Static shells: the resident's declaration and home-observation page ({@code /js/declare.js},
 * on the resident login of /resident) and the officials' risk-area page ({@code /js/risk-areas.js}).
 */
@Controller
class MonitoringPages {

  @GetMapping("/declare")
  String declare() {
    return "declare";
  }

  @GetMapping("/risk-areas")
  String riskAreas() {
    return "risk-areas";
  }
}
