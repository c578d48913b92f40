package org.epiloop.directory;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The public nearest-site page (S1): a resident finds the sampling sites near them, their
 * opening hours and how busy each was in the last hour; a static shell over
 * {@code GET /api/v1/sites/nearby}.
 */
@Controller
class SitesPage {

  @GetMapping("/sites")
  String sites() {
    return "sites";
  }
}
