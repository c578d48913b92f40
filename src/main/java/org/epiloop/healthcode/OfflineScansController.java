package org.epiloop.healthcode;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.shared.Actor;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A venue gate sends the codes it checked while offline (H3), once the network is back. */
@RestController
class OfflineScansController {

  private final OfflineScans scans;

  OfflineScansController(OfflineScans scans) {
    this.scans = scans;
  }

  record Batch(List<OfflineScans.Scan> scans) {}

  @Operation(summary = "Record the codes a gate verified offline (idempotent by scanId); each token is re-checked as of its scan time")
  @PostMapping("/api/v1/health-codes/offline-scans")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','VENUE_MANAGER','GRID_WORKER','HOSPITAL')")
  OfflineScans.Outcome record(@RequestBody Batch body) {
    return scans.record(Actor.current(), body.scans());
  }
}
