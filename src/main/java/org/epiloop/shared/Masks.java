package org.epiloop.shared;

/**
 * Masks personal data for display and logs: {@code 张*三}, {@code 3201**********123X},
 * {@code 138****5678}.
 */
public final class Masks {

  private Masks() {}

  /** Keeps the first and last character of a name (the first only for two characters). */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    int[] cps = name.strip().codePoints().toArray();
    if (cps.length == 1) {
      return "*";
    }
    StringBuilder sb = new StringBuilder().appendCodePoint(cps[0]);
    if (cps.length == 2) {
      return sb.append('*').toString();
    }
    sb.append("*".repeat(cps.length - 2));
    return sb.appendCodePoint(cps[cps.length - 1]).toString();
  }

  /**
   * Keeps four characters at each end of a 15+ character number (mainland IDs), two of an
   * 8–14 character one (passports, permits), one of a shorter one.
   */
  public static String idNumber(String id) {
    if (id == null || id.isEmpty()) {
      return "";
    }
    int keep = id.length() >= 15 ? 4 : id.length() >= 8 ? 2 : id.length() >= 5 ? 1 : 0;
    if (keep == 0) {
      return "*".repeat(id.length());
    }
    return id.substring(0, keep) + "*".repeat(id.length() - 2 * keep) + id.substring(id.length() - keep);
  }

  /** Keeps the first three and last four digits of a phone number. */
  public static String phone(String phone) {
    if (phone == null || phone.isEmpty()) {
      return "";
    }
    if (phone.length() < 8) {
      return "*".repeat(phone.length());
    }
    return phone.substring(0, 3) + "*".repeat(phone.length() - 7) + phone.substring(phone.length() - 4);
  }
}
