package org.epiloop.directory;

import java.util.regex.Pattern;
import org.epiloop.shared.ApiException;

/** Human-facing codes of the directory: 2–32 letters, digits, '-' or '_'. */
final class Codes {
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,31}");

  private Codes() {}

  static void check(String field, String code) {
    ApiException.required(field, code);
    if (!CODE.matcher(code).matches()) {
      throw ApiException.badRequest("INVALID_CODE", field, field + " must be 2–32 letters, digits, '-' or '_'");
    }
  }
}
