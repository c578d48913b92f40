package org.epiloop.labquality;

import java.util.regex.Pattern;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.TextInput;

/** Checks of the names and codes people type on the quality page. */
final class Codes {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{2,32}");

  private Codes() {}

  /** A lot number or an instrument code: 2–32 letters, digits, '-' or '_' (as printed on labels). */
  static String code(String field, String value) {
    String v = ApiException.required(field, value).strip();
    if (!CODE.matcher(v).matches()) {
      throw ApiException.badRequest("INVALID_CODE", field, field + " is 2–32 letters, digits, '-' or '_'");
    }
    return v;
  }

  private static final java.time.LocalDate EARLIEST = java.time.LocalDate.of(2000, 1, 1);
  private static final java.time.LocalDate LATEST = java.time.LocalDate.of(2199, 12, 31);

  /**
   * An expiry or due date: required, and within 2000–2199 (a typo like year 20266 is refused in
   * words instead of reaching the database, whose dates end long before Java's).
   */
  static java.time.LocalDate date(String field, java.time.LocalDate value) {
    java.time.LocalDate d = ApiException.required(field, value);
    if (d.isBefore(EARLIEST) || d.isAfter(LATEST)) {
      throw ApiException.badRequest("INVALID_DATE", field, field + " lies between 2000-01-01 and 2199-12-31");
    }
    return d;
  }

  /** A name or note: required, clean, at most {@code max} characters. */
  static String text(String field, String value, int max) {
    String v = TextInput.requireClean(field, ApiException.required(field, value), true).strip();
    if (v.isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", field, field + " is required");
    }
    if (v.length() > max) {
      throw ApiException.badRequest("INVALID_LAB_TEXT", field, field + " has at most " + max + " characters");
    }
    return v;
  }
}
