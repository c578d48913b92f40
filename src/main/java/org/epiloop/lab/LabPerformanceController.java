package org.epiloop.lab;

import io.swagger.v3.oas.annotations.Operation;
import org.epiloop.shared.Actor;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A lab's turnaround and performance (L8), for its director and the officials. */
@RestController
class LabPerformanceController {

  private final LabPerformance performance;

  LabPerformanceController(LabPerformance performance) {
    this.performance = performance;
  }

  @Operation(summary = "Turnaround per stage (collection → receipt → plating → result → release), hour × stage heat map, rerun rate, tests per technician-hour")
  @GetMapping("/api/v1/labs/{labCode}/performance")
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','OFFICIAL','ADMIN')")
  LabPerformance.Performance performance(@PathVariable String labCode, @RequestParam(required = false) Integer hours) {
    return performance.of(Actor.current(), labCode, hours);
  }
}
