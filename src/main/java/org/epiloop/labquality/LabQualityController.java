package org.epiloop.labquality;

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

/**
 * Lab quality over HTTP: the director keeps control lots, kit lots and instruments; the bench
 * reads them; a reviewer records corrective actions.
 */
@RestController
class LabQualityController {

  private static final String READERS = "hasAnyRole('LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','OFFICIAL','ADMIN')";

  private final QualityControl qc;
  private final Reagents reagents;
  private final Instruments instruments;

  LabQualityController(QualityControl qc, Reagents reagents, Instruments instruments) {
    this.qc = qc;
    this.reagents = reagents;
    this.instruments = instruments;
  }

  @Operation(summary = "Add a control lot with its target values (mean and SD per target); it goes into use at its level")
  @PostMapping("/api/v1/labs/{labCode}/qc/lots")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('LAB_DIRECTOR')")
  QualityControl.ControlLot addControlLot(@PathVariable String labCode, @RequestBody QualityControl.NewControlLot body) {
    return qc.addLot(Actor.current(), labCode, body);
  }

  @Operation(summary = "The lab's control lots, those in use first")
  @GetMapping("/api/v1/labs/{labCode}/qc/lots")
  @PreAuthorize(READERS)
  List<QualityControl.ControlLot> controlLots(@PathVariable String labCode) {
    return qc.lots(Actor.current(), labCode);
  }

  @Operation(summary = "A Levey–Jennings chart: one control lot's values of one target, oldest first, with broken Westgard rules")
  @GetMapping("/api/v1/labs/{labCode}/qc/chart")
  @PreAuthorize(READERS)
  QualityControl.Chart chart(@PathVariable String labCode, @RequestParam String lot, @RequestParam String target,
      @RequestParam(defaultValue = "60") int limit) {
    if (limit < 1 || limit > 500) {
      throw ApiException.badRequest("INVALID_LIMIT", "limit", "limit is 1 to 500");
    }
    return qc.chart(Actor.current(), labCode, lot, target, limit);
  }

  @Operation(summary = "Runs whose QC broke a Westgard rule (warnings, rejections, corrected), newest first")
  @GetMapping("/api/v1/labs/{labCode}/qc/runs")
  @PreAuthorize(READERS)
  List<QualityControl.RunFlag> flaggedRuns(@PathVariable String labCode) {
    return qc.flagged(Actor.current(), labCode);
  }

  record CorrectiveAction(String action) {}

  @Operation(summary = "Record the corrective action for a run held by a QC rejection; the run may then be released")
  @PostMapping("/api/v1/runs/{runId}/qc/corrective-action")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  LabQuality.RunQc correct(@PathVariable UUID runId, @RequestBody CorrectiveAction body) {
    return qc.correct(Actor.current(), runId, body.action());
  }

  @Operation(summary = "Register a reagent kit or consumable lot with its expiry and quantity")
  @PostMapping("/api/v1/labs/{labCode}/reagent-lots")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('LAB_DIRECTOR')")
  Reagents.Lot addReagentLot(@PathVariable String labCode, @RequestBody Reagents.NewLot body) {
    return reagents.add(Actor.current(), labCode, body);
  }

  @Operation(summary = "The lab's reagent and consumable lots: stock, expiry, recent daily use and days left")
  @GetMapping("/api/v1/labs/{labCode}/reagent-lots")
  @PreAuthorize(READERS)
  List<Reagents.Lot> reagentLots(@PathVariable String labCode) {
    return reagents.lots(Actor.current(), labCode);
  }

  @Operation(summary = "Restock a lot (a delivery received), or take stock off it: used outside a run, or written off with a reason; audited")
  @PostMapping("/api/v1/labs/{labCode}/reagent-lots/{lotNumber}/movements")
  @PreAuthorize("hasRole('LAB_DIRECTOR')")
  Reagents.Lot moveStock(@PathVariable String labCode, @PathVariable String lotNumber, @RequestBody Reagents.NewMovement body) {
    return reagents.move(Actor.current(), labCode, lotNumber, body);
  }

  @Operation(summary = "A lot's stock movements (restocks, manual use, write-offs), newest first")
  @GetMapping("/api/v1/labs/{labCode}/reagent-lots/{lotNumber}/movements")
  @PreAuthorize(READERS)
  List<Reagents.MovementRow> stockMovements(@PathVariable String labCode, @PathVariable String lotNumber) {
    return reagents.movements(Actor.current(), labCode, lotNumber);
  }

  @Operation(summary = "Register an instrument, or update its name, kind and due dates")
  @PostMapping("/api/v1/labs/{labCode}/instruments")
  @PreAuthorize("hasRole('LAB_DIRECTOR')")
  Instruments.Instrument registerInstrument(@PathVariable String labCode, @RequestBody Instruments.NewInstrument body) {
    return instruments.register(Actor.current(), labCode, body);
  }

  @Operation(summary = "The lab's instruments with calibration and maintenance due dates")
  @GetMapping("/api/v1/labs/{labCode}/instruments")
  @PreAuthorize(READERS)
  List<Instruments.Instrument> instruments(@PathVariable String labCode) {
    return instruments.list(Actor.current(), labCode);
  }

  @Operation(summary = "A run's QC verdict with its broken Westgard rules (404 when it has none)")
  @GetMapping("/api/v1/runs/{runId}/qc")
  @PreAuthorize(READERS)
  LabQuality.RunQc runQc(@PathVariable UUID runId) {
    return qc.runQcFor(Actor.current(), runId);
  }
}
