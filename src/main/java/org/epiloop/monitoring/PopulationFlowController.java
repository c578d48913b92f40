package org.epiloop.monitoring;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Population flow (M5) for officials and the command centre. */
@RestController
class PopulationFlowController {

  private final PopulationFlow flow;

  PopulationFlowController(PopulationFlow flow) {
    this.flow = flow;
  }

  @Operation(summary = "Arrivals per district and day by origin, from declarations and check-ins (days from..to, at most 31)")
  @GetMapping("/api/v1/population-flow")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  PopulationFlow.Result flows(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    return flow.flows(from, to);
  }
}
