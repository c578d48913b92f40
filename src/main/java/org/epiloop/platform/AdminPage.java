package org.epiloop.platform;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The administration page (S1, X1): districts, sampling sites with their coordinates (shown on
 * the command centre's city map, so a wrong coordinate is seen at once) and opening hours, labs
 * with their capacity, and staff accounts with their role and site or lab. A static shell over
 * the directory and account API; ADMIN only (the API enforces it).
 */
@Controller
class AdminPage {

  @GetMapping("/admin")
  String admin() {
    return "admin";
  }
}
