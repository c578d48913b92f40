package org.epiloop.transport;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Packing, sealing, handing over and tracking transport boxes (T1), and overdue boxes (T2). */
@RestController
@RequestMapping("/api/v1")
class BoxesController {

  private final TransportBoxes boxes;

  BoxesController(TransportBoxes boxes) {
    this.boxes = boxes;
  }

  record NewBox(String boxCode) {}

  record TubeScan(String tubeCode) {}

  record Handover(String labCode) {}

  record Position(Double latitude, Double longitude) {}

  record Arrival(String labCode) {}

  @Operation(summary = "Open a transport box at the collector's site")
  @PostMapping("/boxes")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('COLLECTOR')")
  TransportBoxes.BoxView open(@RequestBody NewBox body) {
    return boxes.open(Actor.current(), body.boxCode());
  }

  @Operation(summary = "Pack a sealed tube of this site into the box (one scan)")
  @PostMapping("/boxes/{boxCode}/tubes")
  @PreAuthorize("hasRole('COLLECTOR')")
  TransportBoxes.Packed pack(@PathVariable String boxCode, @RequestBody TubeScan body) {
    return boxes.addTube(Actor.current(), boxCode, body.tubeCode());
  }

  @Operation(summary = "Seal the box with its tube count")
  @PostMapping("/boxes/{boxCode}/seal")
  @PreAuthorize("hasRole('COLLECTOR')")
  TransportBoxes.Sealed seal(@PathVariable String boxCode) {
    return boxes.seal(Actor.current(), boxCode);
  }

  @Operation(summary = "A courier takes the sealed box (optionally naming the destination lab)")
  @PostMapping("/boxes/{boxCode}/handover")
  @PreAuthorize("hasRole('COURIER')")
  TransportBoxes.Moved handOver(@PathVariable String boxCode, @RequestBody(required = false) Handover body) {
    return boxes.handOver(Actor.current(), boxCode, body == null ? null : body.labCode());
  }

  @Operation(summary = "The courier's position while the box travels")
  @PostMapping("/boxes/{boxCode}/locations")
  @PreAuthorize("hasRole('COURIER')")
  TransportBoxes.Moved location(@PathVariable String boxCode, @RequestBody Position body) {
    return boxes.location(Actor.current(), boxCode, body.latitude(), body.longitude());
  }

  @Operation(summary = "The courier delivers the box to a lab")
  @PostMapping("/boxes/{boxCode}/arrival")
  @PreAuthorize("hasRole('COURIER')")
  TransportBoxes.Moved arrive(@PathVariable String boxCode, @RequestBody Arrival body) {
    return boxes.arrive(Actor.current(), boxCode, body.labCode());
  }

  @Operation(summary = "A box's current trip and its chain of custody")
  @GetMapping("/boxes/{boxCode}")
  @PreAuthorize("hasAnyRole('COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','OFFICIAL','ADMIN')")
  TransportBoxes.BoxView get(@PathVariable String boxCode) {
    TransportBoxes.BoxView view = boxes.view(boxCode);
    Actor actor = Actor.current();
    if (actor.role() == Role.COLLECTOR && !view.siteCode().equals(actor.siteCode())) {
      throw ApiException.outOfScope("Box " + boxCode + " belongs to another site");
    }
    return view;
  }

  @Operation(summary = "Boxes whose first sample is older than the transport limit and not yet received")
  @GetMapping("/transport/overdue")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<TransportBoxes.Overdue> overdue() {
    return boxes.overdue();
  }
}
