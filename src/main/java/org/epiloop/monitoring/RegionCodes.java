package org.epiloop.monitoring;

import java.util.regex.Pattern;
import org.epiloop.shared.ApiException;

/**
 * Region codes: the six digits of GB/T 2260 (province {@code 42}0000, city {@code 4201}00,
 * county {@code 420106}) and the street (乡镇街道) codes that extend a county's code by three
 * digits, and village committees by three more. A code stands for its region and everything
 * inside it, so its "prefix" — the code without its trailing zero groups — is what every code
 * inside it starts with.
 */
final class RegionCodes {

  private static final Pattern CODE = Pattern.compile("[1-9]\\d{5}(\\d{3}(\\d{3})?)?");

  private RegionCodes() {}

  /** The code, checked; 400 {@code INVALID_REGION_CODE} naming the field. */
  static String check(String field, String code) {
    ApiException.required(field, code);
    if (!CODE.matcher(code).matches() || code.startsWith("0000", 2) && code.length() > 6) {
      throw ApiException.badRequest("INVALID_REGION_CODE", field,
          field + " must be a 6-digit region code (GB/T 2260) or a 9- or 12-digit street code");
    }
    return code;
  }

  /** What every region inside this one starts with: 420000 → 42, 420100 → 4201, 420106000 → 420106. */
  static String prefix(String code) {
    String p = code;
    while (p.length() > 6 && p.endsWith("000")) {
      p = p.substring(0, p.length() - 3);
    }
    if (p.length() == 6) {
      while (p.length() > 2 && p.endsWith("00")) {
        p = p.substring(0, p.length() - 2);
      }
    }
    return p;
  }
}
