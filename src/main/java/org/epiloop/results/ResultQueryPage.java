package org.epiloop.results;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The public result query page (P1): anyone who knows a person's document and name looks up
 * their results, masked; a static shell over {@code POST /api/v1/results/query}, which answers a
 * wrong name as if nobody matched and limits queries per client address.
 */
@Controller
class ResultQueryPage {

  @GetMapping("/query")
  String query() {
    return "query";
  }
}
