package org.epiloop.identity;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The resident's page (R1, P1, H2, V2, V4): a static shell whose script ({@code /js/resident.js})
 * logs a resident in with a phone code and talks to the resident API with a bearer token — the
 * family's persons, a person's live health code and appointment code, results, venue check-in
 * and the exposure self-check. The page holds no personal data itself and can be cached.
 */
@Controller
class ResidentPage {

  @GetMapping("/resident")
  String resident() {
    return "resident";
  }
}
