package org.epiloop.transport;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The courier page (T1): a static shell whose script ({@code /js/courier.js}) logs a courier
 * in and talks to {@link BoxesController} with a bearer token — take a sealed box by scan,
 * report positions on the way, deliver it at the lab door by scanning it again.
 */
@Controller
class CourierPage {

  @GetMapping("/courier")
  String courier() {
    return "courier";
  }
}
