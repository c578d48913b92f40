package org.epiloop.venue;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.shared.Actor;
import org.epiloop.shared.QrCodes;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Registering venues and printing their venue code (V1). */
@RestController
@RequestMapping("/api/v1/venues")
class VenuesController {

  private final Venues venues;

  VenuesController(Venues venues) {
    this.venues = venues;
  }

  record NewVenue(String name, String districtCode, String kind, Double latitude, Double longitude,
      Integer negativeTestWithinHours) {}

  @Operation(summary = "Register a venue; the answer carries its code and the token its QR holds")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('VENUE_MANAGER','ADMIN')")
  Venues.VenueView register(@RequestBody NewVenue body) {
    return venues.register(Actor.current(), body.name(), body.districtCode(), body.kind(), body.latitude(), body.longitude(),
        body.negativeTestWithinHours());
  }

  @Operation(summary = "A manager's own venues; all venues (optionally of one district) for officials and administrators")
  @GetMapping
  @PreAuthorize("hasAnyRole('VENUE_MANAGER','ADMIN','OFFICIAL')")
  List<Venues.VenueView> list(@RequestParam(required = false) String districtCode,
      @RequestParam(defaultValue = "200") int limit) {
    return venues.list(Actor.current(), districtCode, limit);
  }

  @Operation(summary = "A venue with its token")
  @GetMapping("/{venueCode}")
  @PreAuthorize("hasAnyRole('VENUE_MANAGER','ADMIN','OFFICIAL')")
  Venues.VenueView get(@PathVariable String venueCode) {
    return venues.view(Actor.current(), venueCode);
  }

  @Operation(summary = "Today's check-ins at a venue: totals, admitted and denied, colour mix, per hour")
  @GetMapping("/{venueCode}/check-ins/today")
  @PreAuthorize("hasAnyRole('VENUE_MANAGER','ADMIN','OFFICIAL')")
  Venues.VenueDay today(@PathVariable String venueCode) {
    return venues.today(Actor.current(), venueCode);
  }

  @Operation(summary = "The venue code as a QR image to print at the entrance")
  @GetMapping(value = "/{venueCode}/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
  @PreAuthorize("hasAnyRole('VENUE_MANAGER','ADMIN')")
  ResponseEntity<byte[]> qr(@PathVariable String venueCode) {
    String token = venues.tokenToPrint(Actor.current(), venueCode);
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename("venue-" + venueCode + ".png").build().toString())
        .body(QrCodes.png(token, 480));
  }
}
