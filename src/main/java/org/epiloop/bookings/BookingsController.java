package org.epiloop.bookings;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
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

/** Booked submissions (L9): book a delivery slot, a lab's slots, where new boxes should go. */
@RestController
class BookingsController {

  private final Bookings bookings;

  BookingsController(Bookings bookings) {
    this.bookings = bookings;
  }

  record NewSlot(String labCode, String siteCode, String startsAt, String endsAt, Integer expectedTubes) {}

  @Operation(summary = "Book a delivery slot at a lab for an expected number of tubes (a collector for their own site)")
  @PostMapping("/api/v1/bookings")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL','ADMIN')")
  Bookings.Slot book(@RequestBody NewSlot body) {
    return bookings.book(Actor.current(), body.labCode(), body.siteCode(), instant("startsAt", body.startsAt()), instant("endsAt", body.endsAt()),
        body.expectedTubes());
  }

  @Operation(summary = "A lab's booked slots of a day (city time, default today): expected against arrived tubes")
  @GetMapping("/api/v1/labs/{labCode}/bookings")
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','OFFICIAL','ADMIN')")
  List<Bookings.Slot> slots(@PathVariable String labCode, @RequestParam(required = false) String day) {
    LocalDate d = null;
    if (day != null) {
      try {
        d = LocalDate.parse(day);
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("INVALID_PARAMETER", "day", "day must be a date like 2026-12-07");
      }
    }
    return bookings.slots(Actor.current(), labCode, d);
  }

  @Operation(summary = "Each lab's day against its capacity, and where to send new boxes when a lab is overloaded")
  @GetMapping("/api/v1/bookings/routing")
  @PreAuthorize("hasAnyRole('COURIER','LAB_DIRECTOR','OFFICIAL','ADMIN')")
  Bookings.Routing routing() {
    return bookings.routing(Actor.current());
  }

  private static Instant instant(String field, String text) {
    ApiException.required(field, text);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_PARAMETER", field, field + " must be an instant like 2026-12-07T08:00:00Z");
    }
  }
}
