package org.epiloop.officials;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The officials' workbench (官员工作台): a static shell whose script ({@code /js/official.js})
 * logs an official in and works through the API — persons, cases and their tracing lists, code
 * overrides, colour rules and alerts.
 */
@Controller
class WorkbenchPage {

  @GetMapping("/official")
  String official() {
    return "official";
  }
}
