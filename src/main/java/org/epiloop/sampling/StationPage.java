package org.epiloop.sampling;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The collector station page (S2–S3): a static shell whose script ({@code /js/station.js})
 * logs in and talks to {@link TubesController} with a bearer token, so the page itself needs
 * no session, holds no personal data and can be cached by the phone.
 */
@Controller
class StationPage {

  @GetMapping("/station")
  String station() {
    return "station";
  }
}
