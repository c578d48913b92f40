package org.epiloop.lab;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The lab director's page (L6–L9): a static shell whose script ({@code /js/director.js}) shows
 * the lab's environment (readings, charts, open alerts), sample bank, booked deliveries and
 * turnaround — from the environment, sample bank, bookings and lab APIs.
 */
@Controller
class LabDirectorPage {

  @GetMapping("/lab/director")
  String director() {
    return "director";
  }
}
