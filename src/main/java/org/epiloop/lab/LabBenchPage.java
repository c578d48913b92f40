package org.epiloop.lab;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The lab bench page (L1–L4): a static shell whose script ({@code /js/lab.js}) logs a lab
 * technician or reviewer in and talks to {@link ReceiptsController} and {@link RunsController}
 * with a bearer token — receive boxes by scan, load plates, upload the instrument export, and
 * have a second person approve and release.
 */
@Controller
class LabBenchPage {

  @GetMapping("/lab")
  String lab() {
    return "lab";
  }
}
