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

  private static final java.time.ZoneId CITY = java.time.ZoneId.of("Asia/Shanghai");

  private final TransportBoxes boxes;
  private final org.epiloop.directory.Directory directory;
  private final java.time.Clock clock;

  BoxesController(TransportBoxes boxes, org.epiloop.directory.Directory directory, java.time.Clock clock) {
    this.boxes = boxes;
    this.directory = directory;
    this.clock = clock;
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

  @Operation(summary = "The box's label barcode (Code 128 of the box code) as PNG")
  @GetMapping(value = "/boxes/{boxCode}/label.png", produces = org.springframework.http.MediaType.IMAGE_PNG_VALUE)
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL','ADMIN')")
  org.springframework.http.ResponseEntity<byte[]> labelPng(@PathVariable String boxCode) {
    get(boxCode);
    return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.IMAGE_PNG)
        .body(org.epiloop.shared.Barcodes.code128Png(boxCode, 3, 120));
  }

  @Operation(summary = "The box's label barcode (Code 128 of the box code) as SVG, for printing")
  @GetMapping(value = "/boxes/{boxCode}/label.svg", produces = "image/svg+xml")
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL','ADMIN')")
  org.springframework.http.ResponseEntity<String> labelSvg(@PathVariable String boxCode) {
    get(boxCode);
    return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.valueOf("image/svg+xml"))
        .body(org.epiloop.shared.Barcodes.code128Svg(boxCode));
  }

  /** The sealed boxes waiting at one site. */
  record SitePickups(String siteCode, String siteName, String districtCode, List<TransportBoxes.Waiting> boxes) {}

  @Operation(summary = "Sealed boxes waiting for a courier, per site (a collector sees their own site)")
  @GetMapping("/transport/pickups")
  @PreAuthorize("hasAnyRole('COURIER','COLLECTOR','OFFICIAL','ADMIN')")
  List<SitePickups> pickups(@org.springframework.web.bind.annotation.RequestParam(required = false) String siteCode,
      @org.springframework.web.bind.annotation.RequestParam(required = false) String districtCode) {
    Actor actor = Actor.current();
    if (actor.role() == Role.COLLECTOR) {
      if (districtCode != null) {
        throw ApiException.outOfScope("A collector sees the boxes of their own site only");
      }
      siteCode = siteCode == null ? actor.siteCode() : siteCode;
      actor.requireSite(siteCode);
    }
    java.util.Map<String, org.epiloop.directory.Directory.Site> sites = new java.util.LinkedHashMap<>();
    directory.sites().forEach(site -> sites.put(site.code(), site));
    List<String> scope = null;
    if (siteCode != null) {
      if (!sites.containsKey(siteCode)) {
        throw ApiException.badRequest("UNKNOWN_SITE", "siteCode", "No site " + siteCode);
      }
      scope = List.of(siteCode);
    } else if (districtCode != null) {
      directory.requireDistrict("districtCode", districtCode);
      scope = sites.values().stream().filter(x -> x.districtCode().equals(districtCode)).map(org.epiloop.directory.Directory.Site::code).toList();
    }
    java.util.Map<String, List<TransportBoxes.Waiting>> bySite = new java.util.TreeMap<>();
    for (TransportBoxes.Waiting w : boxes.waitingForPickup(scope)) {
      bySite.computeIfAbsent(w.siteCode(), k -> new java.util.ArrayList<>()).add(w);
    }
    return bySite.entrySet().stream().map(e -> {
      org.epiloop.directory.Directory.Site site = sites.get(e.getKey());
      return new SitePickups(e.getKey(), site == null ? e.getKey() : site.name(), site == null ? null : site.districtCode(), e.getValue());
    }).toList();
  }

  @Operation(summary = "The boxes this courier delivered on a day (the city's date, default today)")
  @GetMapping("/transport/deliveries")
  @PreAuthorize("hasRole('COURIER')")
  List<TransportBoxes.Delivered> deliveries(@org.springframework.web.bind.annotation.RequestParam(required = false) String date) {
    java.time.LocalDate day;
    try {
      day = date == null || date.isBlank() ? java.time.LocalDate.now(clock.withZone(CITY)) : java.time.LocalDate.parse(date);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_DATE", "date", "date must be YYYY-MM-DD");
    }
    java.time.Instant from = day.atStartOfDay(CITY).toInstant();
    return boxes.deliveredBy(Actor.current().name(), from, day.plusDays(1).atStartOfDay(CITY).toInstant());
  }

  @Operation(summary = "Boxes whose first sample is older than the transport limit and not yet received")
  @GetMapping("/transport/overdue")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<TransportBoxes.Overdue> overdue() {
    return boxes.overdue();
  }
}
