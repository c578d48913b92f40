package org.epiloop.platform;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The landing page at {@code /}: a plain list of the terminals' pages and the API
 * documentation, so a person who opens the server's address finds their page.
 */
@Controller
class HomePage {

  @GetMapping("/")
  String index() {
    return "index";
  }
}
