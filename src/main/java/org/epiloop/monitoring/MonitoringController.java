package org.epiloop.monitoring;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Risk areas (officials), declarations (residents) and uploads of high-risk persons (grid workers). */
@RestController
class MonitoringController {

  private final RiskAreas areas;
  private final Declarations declarations;
  private final java.time.Clock clock;

  MonitoringController(RiskAreas areas, Declarations declarations, java.time.Clock clock) {
    this.areas = areas;
    this.declarations = declarations;
    this.clock = clock;
  }

  record NewArea(String regionCode, String name, String level, String from, String to) {}

  record AreaEnd(String to) {}

  record Level(String regionCode, java.time.Instant at, RiskLevel level) {}

  /** An upload: the person's document and what the worker found. */
  record Upload(String idType, String idNumber, String name, String gridCode, String address, String fromRegion, String arrivedAt,
      String transport, List<String> symptoms, String onsetDate, Boolean caseContact, String contactDate,
      @org.epiloop.shared.FreeText String note) {
    @Override
    public String toString() { // never the document in a log line
      return "Upload[" + gridCode + "]";
    }
  }

  @Operation(summary = "Add a risk area: region code, level, first and last day (OFFICIAL; audited)")
  @PostMapping("/api/v1/risk-areas")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('OFFICIAL')")
  RiskAreas.Area add(@RequestBody NewArea body) {
    return areas.add(Actor.current(), body.regionCode(), body.name(), body.level(), body.from(), body.to());
  }

  @Operation(summary = "End a risk area after its last day (OFFICIAL; audited)")
  @PostMapping("/api/v1/risk-areas/{id}/end")
  @PreAuthorize("hasRole('OFFICIAL')")
  RiskAreas.Area end(@PathVariable long id, @RequestBody(required = false) AreaEnd body) {
    return areas.end(Actor.current(), id, body == null ? null : body.to());
  }

  @Operation(summary = "Risk areas in force now or later (all=true: also ended ones)")
  @GetMapping("/api/v1/risk-areas")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN','GRID_WORKER','RESIDENT')")
  List<RiskAreas.Area> list(@RequestParam(defaultValue = "false") boolean all) {
    return areas.list(all);
  }

  @Operation(summary = "The level of a region at a moment (the highest area covering it then)")
  @GetMapping("/api/v1/risk-areas/level")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN','GRID_WORKER','RESIDENT')")
  Level level(@RequestParam String regionCode, @RequestParam(required = false) String at) {
    java.time.Instant when;
    try {
      when = at == null ? clock.instant() : java.time.OffsetDateTime.parse(at).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_TIMESTAMP", "at", "at must be a time with offset (ISO-8601)");
    }
    String code = RegionCodes.check("regionCode", regionCode);
    return new Level(code, when, areas.levelAt(code, when));
  }

  @Operation(summary = "Declare an arrival, symptoms or a contact with a case for a person on the account")
  @PostMapping("/api/v1/resident/persons/{personId}/declarations")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('RESIDENT')")
  Declarations.Declaration declare(@PathVariable UUID personId, @RequestBody Declarations.Input body) {
    return declarations.declare(Actor.current(), personId, body);
  }

  @Operation(summary = "A person's declarations, newest first")
  @GetMapping("/api/v1/resident/persons/{personId}/declarations")
  @PreAuthorize("hasRole('RESIDENT')")
  List<Declarations.Declaration> declarations(@PathVariable UUID personId) {
    return declarations.of(Actor.current(), personId);
  }

  @Operation(summary = "Upload a high-risk person found in one's grid, by ID number (GRID_WORKER; audited)")
  @PostMapping("/api/v1/grid/uploads")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('GRID_WORKER')")
  Declarations.Declaration upload(@RequestBody Upload body) {
    return declarations.upload(Actor.current(), body.idType(), body.idNumber(), body.name(),
        new Declarations.Input(body.gridCode(), body.address(), body.fromRegion(), body.arrivedAt(), body.transport(), body.symptoms(),
            body.onsetDate(), body.caseContact(), body.contactDate(), body.note()));
  }
}
