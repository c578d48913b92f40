package org.epiloop.venue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.epiloop.shared.ApiException;

/** What a venue is; stored by name. The list matches the check constraint of {@code venues.kind}. */
enum VenueKind {
  RESTAURANT,
  MARKET,
  SHOP,
  OFFICE,
  FACTORY,
  HOSPITAL,
  CLINIC,
  PHARMACY,
  /** Railway and bus stations, airports. */
  STATION,
  /** Metro entrances, buses, taxis. */
  TRANSIT,
  SCHOOL,
  HOTEL,
  /** Residential compounds (小区). */
  RESIDENTIAL,
  GOVERNMENT,
  ENTERTAINMENT,
  RELIGIOUS,
  OTHER;

  private static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

  /** Parses a kind (case-insensitive), or 400 {@code INVALID_VENUE_KIND} naming the field. */
  static VenueKind parse(String field, String raw) {
    String value = ApiException.required(field, raw);
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_VENUE_KIND", field, field + " must be one of " + NAMES);
    }
  }
}
