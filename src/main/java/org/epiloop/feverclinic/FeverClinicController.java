package org.epiloop.feverclinic;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Fever-clinic visits: hospitals report and mark tests; officials monitor. */
@RestController
class FeverClinicController {

  private final FeverVisits visits;

  FeverClinicController(FeverVisits visits) {
    this.visits = visits;
  }

  /** A test taken at the visit, or its result (NEGATIVE, POSITIVE); an empty body marks the test as taken. */
  record Test(String result) {}

  @Operation(summary = "Report a fever-clinic visit: person by ID document, temperature, symptoms, test taken (HOSPITAL; audited)")
  @PostMapping("/api/v1/fever-clinic/visits")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('HOSPITAL')")
  FeverVisits.Visit report(@RequestBody FeverVisits.Report body) {
    return visits.report(Actor.current(), body);
  }

  @Operation(summary = "Visits of one's hospital (HOSPITAL) or of a named one (OFFICIAL), newest first; untested=true: the test queue")
  @GetMapping("/api/v1/fever-clinic/visits")
  @PreAuthorize("hasAnyRole('HOSPITAL','OFFICIAL')")
  List<FeverVisits.Visit> list(@RequestParam(required = false) String hospitalCode, @RequestParam(defaultValue = "24") int hours,
      @RequestParam(defaultValue = "false") boolean untested) {
    return visits.list(Actor.current(), hospitalCode, hours, untested);
  }

  @Operation(summary = "Mark a visitor's test as taken, or enter its result (HOSPITAL, own hospital only; audited)")
  @PostMapping("/api/v1/fever-clinic/visits/{visitId}/test")
  @PreAuthorize("hasRole('HOSPITAL')")
  FeverVisits.Visit test(@PathVariable UUID visitId, @RequestBody(required = false) Test body) {
    return visits.test(Actor.current(), visitId, body == null ? null : body.result());
  }

  @Operation(summary = "Fever-clinic monitoring: visits per hospital and hour, exposed visitors, visitors not tested in time (OFFICIAL)")
  @GetMapping("/api/v1/fever-clinic/monitor")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  FeverVisits.Monitor monitor(@RequestParam(required = false) String districtCode, @RequestParam(defaultValue = "24") int hours) {
    return visits.monitor(districtCode, hours);
  }
}
