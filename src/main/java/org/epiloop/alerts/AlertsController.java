package org.epiloop.alerts;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The command centre's alert list. */
@RestController
class AlertsController {

  private final Alerts alerts;

  AlertsController(Alerts alerts) {
    this.alerts = alerts;
  }

  @Operation(summary = "Open alerts: CRITICAL_RESULT, BOX_OVERDUE …")
  @GetMapping("/api/v1/dashboard/alerts")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<Alerts.Alert> alerts() {
    return alerts.open();
  }
}
