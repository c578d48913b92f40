package org.epiloop.province;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.List;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The administrator's view of delivery to the province: how it stands, what was refused, requeue. */
@RestController
class ProvinceAdminController {

  private final ProvinceOutbox outbox;
  private final ProvinceProperties properties;
  private final AuditTrail audit;
  private final Clock clock;

  ProvinceAdminController(ProvinceOutbox outbox, ProvinceProperties properties, AuditTrail audit, Clock clock) {
    this.outbox = outbox;
    this.properties = properties;
    this.audit = audit;
    this.clock = clock;
  }

  record Status(boolean enabled, String endpoint, ProvinceOutbox.Summary summary) {}

  @Operation(summary = "Delivery to the province: on or off, bundles waiting, delivered and refused, and how far delivery lags")
  @GetMapping("/api/v1/admin/province")
  @PreAuthorize("hasRole('ADMIN')")
  Status status() {
    return new Status(properties.enabled(), properties.endpoint() == null ? null : properties.endpoint().toString(), outbox.summary());
  }

  @Operation(summary = "Bundles by state (DEAD: refused by the province, with its OperationOutcome), newest first")
  @GetMapping("/api/v1/admin/province/deliveries")
  @PreAuthorize("hasRole('ADMIN')")
  List<ProvinceOutbox.Delivery> deliveries(@RequestParam(defaultValue = "DEAD") String state,
      @RequestParam(defaultValue = "100") int limit) {
    ProvinceOutbox.State s;
    try {
      s = ProvinceOutbox.State.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_PARAMETER", "state", "state is PENDING, DELIVERED or DEAD");
    }
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("INVALID_PARAMETER", "limit", "limit is 1 to 1000");
    }
    return outbox.list(s, limit);
  }

  @Operation(summary = "Send a refused bundle again (after a fix on either side); it is rebuilt from the current data")
  @PostMapping("/api/v1/admin/province/deliveries/{id}/requeue")
  @PreAuthorize("hasRole('ADMIN')")
  Status requeue(@PathVariable long id) {
    if (!outbox.requeue(id, clock.instant())) {
      if (!outbox.exists(id)) {
        throw ApiException.notFound("DELIVERY_NOT_FOUND", "No delivery " + id);
      }
      throw ApiException.conflict("DELIVERY_NOT_DEAD", "Delivery " + id + " was not refused");
    }
    audit.record(Actor.current(), "PROVINCE_DELIVERY_REQUEUED", "province-outbox", String.valueOf(id), "sent again");
    return status();
  }
}
