package org.epiloop.custody;

import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.epiloop.lab.LabCustody;
import org.epiloop.samplebank.BankCustody;
import org.epiloop.sampling.SampledTubes;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.CustodyStep;
import org.epiloop.shared.Role;
import org.epiloop.transport.TransportBoxes;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** "Where is tube X / box Y": the chain of custody of one tube or box, step by step (staff). */
@RestController
class CustodyController {

  private final SampledTubes tubes;
  private final TransportBoxes boxes;
  private final LabCustody lab;
  private final BankCustody bank;

  CustodyController(SampledTubes tubes, TransportBoxes boxes, LabCustody lab, BankCustody bank) {
    this.bank = bank;
    this.tubes = tubes;
    this.boxes = boxes;
    this.lab = lab;
  }

  /**
   * The custody of a tube or a box.
   *
   * @param kind TUBE or BOX
   * @param where the last step's place (site, box or lab)
   * @param lastEvent the last step's event: where it stands now
   * @param tubeCodes for a box, the tubes packed in it
   */
  record Custody(String kind, String code, String siteCode, String where, String lastEvent, List<CustodyStep> steps,
      List<String> tubeCodes) {}

  @Operation(summary = "Where a tube or a box is: its chain of custody (give tubeCode or boxCode)")
  @GetMapping("/api/v1/custody")
  @PreAuthorize("hasAnyRole('COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','OFFICIAL','ADMIN')")
  Custody custody(@RequestParam(required = false) String tubeCode, @RequestParam(required = false) String boxCode) {
    boolean tube = tubeCode != null && !tubeCode.isBlank();
    boolean box = boxCode != null && !boxCode.isBlank();
    if (tube == box) {
      throw ApiException.badRequest("FIELD_REQUIRED", "tubeCode", "Give either tubeCode or boxCode");
    }
    Actor actor = Actor.current();
    if (box) {
      TransportBoxes.BoxView view = boxes.view(boxCode.strip());
      requireSite(actor, view.siteCode(), "Box");
      List<CustodyStep> steps = boxes.custodyOfBox(view.boxCode());
      return of("BOX", view.boxCode(), view.siteCode(), steps, view.tubeCodes());
    }
    String code = tubeCode.strip();
    SampledTubes.TubeFacts facts = tubes.facts(code).orElseThrow(() -> ApiException.notFound("TUBE_NOT_FOUND", "No tube " + code));
    requireSite(actor, facts.siteCode(), "Tube");
    List<CustodyStep> steps = new ArrayList<>(tubes.custody(code));
    steps.addAll(boxes.custodyOfTube(code));
    steps.addAll(lab.of(code));
    // after testing: kept in the sample bank, then disposed of (L7)
    steps.addAll(bank.of(code));
    steps.sort(Comparator.comparing(CustodyStep::at));
    return of("TUBE", code, facts.siteCode(), steps, null);
  }

  private static Custody of(String kind, String code, String site, List<CustodyStep> steps, List<String> tubeCodes) {
    CustodyStep last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
    return new Custody(kind, code, site, last == null ? site : last.place(), last == null ? null : last.event(), steps, tubeCodes);
  }

  private static void requireSite(Actor actor, String site, String what) {
    if (actor.role() == Role.COLLECTOR && !site.equals(actor.siteCode())) {
      throw ApiException.outOfScope(what + " belongs to another site");
    }
  }
}
