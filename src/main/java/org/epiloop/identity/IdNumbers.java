package org.epiloop.identity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;
import org.epiloop.shared.ApiException;

/**
 * Validates and normalises identity document numbers. A mainland ID number (GB 11643-1999)
 * has a 6-digit region code, an 8-digit date of birth, a 3-digit sequence and a check
 * character by ISO 7064 MOD 11-2 ({@code X} for 10, accepted in either case).
 */
public final class IdNumbers {

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  private static final Pattern CN_ID = Pattern.compile("[1-9]\\d{16}[\\dX]");
  private static final Pattern PASSPORT = Pattern.compile("[A-Z0-9]{5,17}");
  private static final Pattern HK_MO = Pattern.compile("[HM]\\d{8}(\\d{2})?");
  private static final Pattern TW = Pattern.compile("\\d{8}(\\d{2})?");
  private static final Pattern FOREIGN_PR_OLD = Pattern.compile("[A-Z]{3}\\d{12}");
  private static final Pattern FOREIGN_PR_NEW = Pattern.compile("9\\d{16}[\\dX]");

  private IdNumbers() {}

  /** Parses a document type, or 400 {@code INVALID_ID_TYPE} naming the field. */
  public static IdType type(String field, String raw) {
    ApiException.required(field, raw);
    try {
      return IdType.valueOf(raw.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_ID_TYPE", field, field + " must be one of CN_ID, PASSPORT, HK_MO_PERMIT, TW_PERMIT, FOREIGN_PR");
    }
  }

  /**
   * The number in canonical form (upper case, no spaces), or 400 {@code INVALID_ID_NUMBER}
   * naming the field. The date of birth must not lie after {@code today}.
   */
  public static String normalize(IdType type, String field, String raw, LocalDate today) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("INVALID_ID_NUMBER", field, field + " is required");
    }
    String n = raw.replace(" ", "").strip().toUpperCase(Locale.ROOT);
    boolean ok = switch (type) {
      case CN_ID -> isValidMainland(n, today);
      case PASSPORT -> PASSPORT.matcher(n).matches();
      case HK_MO_PERMIT -> HK_MO.matcher(n).matches();
      case TW_PERMIT -> TW.matcher(n).matches();
      case FOREIGN_PR -> FOREIGN_PR_OLD.matcher(n).matches()
          || (FOREIGN_PR_NEW.matcher(n).matches() && n.charAt(17) == checkCharacter(n));
    };
    if (!ok) {
      throw ApiException.badRequest("INVALID_ID_NUMBER", field, switch (type) {
        case CN_ID -> field + " is not a valid mainland ID number (18 characters, real date of birth, check character)";
        default -> field + " is not a valid " + type + " number";
      });
    }
    return n;
  }

  /** True for an 18-character mainland number with a real past date of birth and the right check character. */
  public static boolean isValidMainland(String n, LocalDate today) {
    if (n == null || !CN_ID.matcher(n.toUpperCase(Locale.ROOT)).matches()) {
      return false;
    }
    String u = n.toUpperCase(Locale.ROOT);
    try {
      LocalDate born = LocalDate.of(Integer.parseInt(u.substring(6, 10)), Integer.parseInt(u.substring(10, 12)),
          Integer.parseInt(u.substring(12, 14)));
      if (born.getYear() < 1900 || born.isAfter(today)) {
        return false;
      }
    } catch (DateTimeException e) {
      return false;
    }
    return u.charAt(17) == checkCharacter(u);
  }

  /** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
  public static char checkCharacter(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }
}
