package org.epiloop.custody;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The search page: "where is tube X / box Y" for staff, and "what happened to person Y" for
 * officials (by document, with a reason that is audited). Script: {@code /js/track.js}.
 */
@Controller
class TrackPage {

  @GetMapping("/track")
  String track() {
    return "track";
  }
}
