package org.epiloop.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Plates, instrument results, review and release (L2–L4). */
@RestController
class RunsController {

  private final Runs runs;

  RunsController(Runs runs) {
    this.runs = runs;
  }

  /**
   * A plate to load. {@code reagentLot} (the kit lot) and {@code cycler} (the PCR cycler's code)
   * are optional until the lab registers kit lots or cyclers, then required (ADR 0026).
   */
  record NewRun(String plateCode, List<Runs.Loading> wells, String reagentLot, String cycler) {}

  @Operation(summary = "Load a plate: received tubes plus at least one positive and one negative control")
  @PostMapping("/api/v1/labs/{labCode}/runs")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER')")
  Runs.Loaded load(@PathVariable String labCode, @RequestBody NewRun body) {
    return runs.load(Actor.current(), labCode, body.plateCode(), body.wells(), body.reagentLot(), body.cycler());
  }

  /** Ct values of one well as JSON; a null Ct means no amplification. */
  record Cts(@JsonProperty("ORF1ab") Double orf1ab, @JsonProperty("N") Double n, @JsonProperty("IC") Double ic) {}

  record WellResult(String well, Cts ct) {}

  record Results(List<WellResult> wells) {}

  @Operation(summary = "Enter a run's results as JSON")
  @PostMapping(value = "/api/v1/runs/{runId}/results", consumes = MediaType.APPLICATION_JSON_VALUE)
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER')")
  Runs.Entered results(@PathVariable UUID runId, @RequestBody Results body) {
    if (body.wells() == null || body.wells().isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "wells", "wells is required");
    }
    List<WellReading> readings = new java.util.ArrayList<>();
    for (int i = 0; i < body.wells().size(); i++) {
      WellResult w = body.wells().get(i);
      String field = "wells[" + i + "]";
      if (w == null || w.well() == null) {
        throw ApiException.badRequest("FIELD_REQUIRED", field + ".well", "each result needs its well");
      }
      Well well = Well.tryParse(w.well()).orElseThrow(() -> ApiException.badRequest("INVALID_WELL", field + ".well", "well must be A1–H12"));
      Cts ct = w.ct() == null ? new Cts(null, null, null) : w.ct();
      for (Double v : new Double[] {ct.orf1ab(), ct.n(), ct.ic()}) {
        if (v != null && !CtValues.inRange(v)) {
          throw ApiException.badRequest("INVALID_CT", field + ".ct", "Ct values lie between 0 and 60");
        }
      }
      readings.add(new WellReading(well, new CtValues(ct.orf1ab(), ct.n(), ct.ic())));
    }
    return runs.enterResults(Actor.current(), runId, readings);
  }

  @Operation(summary = "Enter a run's results as the instrument's CSV export (Well,Target,Ct)")
  @PostMapping(value = "/api/v1/runs/{runId}/results", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER')")
  Runs.Entered resultsCsv(@PathVariable UUID runId, @RequestBody(required = false) String csv) {
    if (csv == null || csv.isBlank()) {
      throw ApiException.badRequest("INVALID_INSTRUMENT_FILE", "file", "The file is empty");
    }
    return runs.enterResults(Actor.current(), runId, InstrumentCsv.parse(csv));
  }

  @Operation(summary = "Approve a run's results (a reviewer other than who entered them); releases them")
  @PostMapping("/api/v1/runs/{runId}/approval")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  Runs.Approved approve(@PathVariable UUID runId) {
    return runs.approve(Actor.current(), runId);
  }

  @Operation(summary = "A run with its wells and interpretations")
  @GetMapping("/api/v1/runs/{runId}")
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','OFFICIAL','ADMIN')")
  Runs.RunView get(@PathVariable UUID runId) {
    return runs.view(Actor.current(), runId);
  }
}
