package org.epiloop.results;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The recall page (L5): a static shell whose script ({@code /js/recalls.js}) shows, for a site
 * or a district, who is recalled, notified, retested or overdue, from {@code /api/v1/recalls/board}.
 */
@Controller
class RecallsPage {

  @GetMapping("/recalls")
  String recalls() {
    return "recalls";
  }
}
