package org.epiloop.environment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** LabEnvironment monitoring (L6): a lab's rooms, devices, thresholds and gateways; readings in from gateways. */
@RestController
class EnvironmentController {

  private final LabEnvironment environment;
  private final GatewayBatches batches;

  EnvironmentController(LabEnvironment environment, GatewayBatches batches) {
    this.environment = environment;
    this.batches = batches;
  }

  record NewRoom(String code, String name) {}

  record NewDevice(String code, String name, String roomCode, Integer silenceMinutes) {}

  record NewThreshold(String roomCode, String deviceCode, String measure, Double min, Double max, Integer graceSeconds) {}

  record NewGateway(String name) {}

  record Batch(List<GatewayBatches.ReadingIn> readings) {}

  @Operation(summary = "A lab's rooms, devices, current readings, thresholds and incidents (open and recent)")
  @GetMapping("/api/v1/labs/{labCode}/environment")
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','OFFICIAL','ADMIN')")
  LabEnvironment.Overview overview(@PathVariable String labCode) {
    return environment.overview(Actor.current(), labCode);
  }

  @Operation(summary = "Add a room to a lab")
  @PostMapping("/api/v1/labs/{labCode}/environment/rooms")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','ADMIN')")
  LabEnvironment.Room addRoom(@PathVariable String labCode, @RequestBody NewRoom body) {
    return environment.addRoom(Actor.current(), labCode, body.code(), body.name());
  }

  @Operation(summary = "Add a device (sensor, freezer …) to a room; silenceMinutes without a reading make it a silent sensor")
  @PostMapping("/api/v1/labs/{labCode}/environment/devices")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','ADMIN')")
  LabEnvironment.DeviceView addDevice(@PathVariable String labCode, @RequestBody NewDevice body) {
    return environment.addDevice(Actor.current(), labCode, body.code(), body.name(), body.roomCode(), body.silenceMinutes());
  }

  @Operation(summary = "Set the limits of a measure for a room, or for one device of it (deviceCode)")
  @PutMapping("/api/v1/labs/{labCode}/environment/thresholds")
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','ADMIN')")
  LabEnvironment.Threshold threshold(@PathVariable String labCode, @RequestBody NewThreshold body) {
    return environment.setThreshold(Actor.current(), labCode, body.roomCode(), body.deviceCode(), body.measure(), body.min(), body.max(),
        body.graceSeconds());
  }

  @Operation(summary = "Issue a key for a sensor gateway of the lab (shown once; send it as X-Gateway-Key)")
  @PostMapping("/api/v1/labs/{labCode}/environment/gateways")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','ADMIN')")
  LabEnvironment.IssuedKey issueGateway(@PathVariable String labCode, @RequestBody NewGateway body) {
    return environment.issueGateway(Actor.current(), labCode, body.name());
  }

  @Operation(summary = "Revoke a gateway's key")
  @DeleteMapping("/api/v1/labs/{labCode}/environment/gateways/{gatewayId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','ADMIN')")
  void revokeGateway(@PathVariable String labCode, @PathVariable UUID gatewayId) {
    environment.revokeGateway(Actor.current(), labCode, gatewayId);
  }

  @Operation(summary = "A device's measure per minute over the last hours (mean, lowest, highest)")
  @GetMapping("/api/v1/labs/{labCode}/environment/devices/{deviceCode}/chart")
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR','OFFICIAL','ADMIN')")
  LabEnvironment.Chart chart(@PathVariable String labCode, @PathVariable String deviceCode, @RequestParam String measure,
      @RequestParam(required = false) Integer hours) {
    return environment.chart(Actor.current(), labCode, deviceCode, measure, hours);
  }

  /**
   * A sensor gateway's batch: no bearer token (a gateway is not a person) but the lab's gateway
   * key in {@code X-Gateway-Key}; the whole batch is taken or refused, in one transaction.
   */
  @Operation(summary = "Readings from a sensor gateway (X-Gateway-Key), up to 5000 a batch: device, measure, at, value")
  @PostMapping("/api/v1/environment/readings")
  Readings.Outcome ingest(@Parameter(description = "the gateway's key") @RequestHeader(name = "X-Gateway-Key", required = false) String key,
      @RequestBody Batch body) {
    return batches.receive(key, body.readings());
  }
}
