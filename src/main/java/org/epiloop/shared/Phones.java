package org.epiloop.shared;

import java.util.regex.Pattern;

/** Mainland mobile numbers: 11 digits starting 13–19, optionally written with +86. */
public final class Phones {

  private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");

  private Phones() {}

  /** The number as 11 digits, or 400 {@code INVALID_PHONE} naming the field. */
  public static String normalize(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("FIELD_REQUIRED", field, field + " is required");
    }
    String s = raw.replaceAll("[\\s-]", "");
    if (s.startsWith("+86")) {
      s = s.substring(3);
    } else if (s.startsWith("0086")) {
      s = s.substring(4);
    }
    if (!MOBILE.matcher(s).matches()) {
      throw ApiException.badRequest("INVALID_PHONE", field, field + " must be a mainland mobile number of 11 digits");
    }
    return s;
  }
}
