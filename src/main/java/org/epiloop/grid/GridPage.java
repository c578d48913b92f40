package org.epiloop.grid;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The grid worker's page (M2, M4): a static shell whose script ({@code /js/grid.js}) shows the
 * worker's follow-up tasks on a phone, records visits and calls, diary lines, and uploads.
 */
@Controller
class GridPage {

  @GetMapping("/grid")
  String grid() {
    return "grid";
  }
}
