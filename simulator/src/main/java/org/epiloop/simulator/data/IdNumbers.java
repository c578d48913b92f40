package org.epiloop.simulator.data;

import java.time.DateTimeException;
import java.time.LocalDate;

/** Mainland resident ID numbers (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence, check character. */
public final class IdNumbers {

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = "10X98765432".toCharArray();

  private IdNumbers() {}

  /** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
  public static char checkCharacter(CharSequence first17) {
    if (first17.length() < 17) {
      throw new IllegalArgumentException("need 17 digits");
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int d = first17.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw new IllegalArgumentException("not a digit at " + i);
      }
      sum += d * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }

  /** True for 18 characters: 17 digits (first non-zero), a real date of birth not after {@code today}, right check character. */
  public static boolean isValid(String n, LocalDate today) {
    if (n == null || n.length() != 18 || n.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      if (n.charAt(i) < '0' || n.charAt(i) > '9') {
        return false;
      }
    }
    try {
      LocalDate born = LocalDate.of(Integer.parseInt(n.substring(6, 10)), Integer.parseInt(n.substring(10, 12)),
          Integer.parseInt(n.substring(12, 14)));
      if (born.getYear() < 1900 || born.isAfter(today)) {
        return false;
      }
    } catch (DateTimeException e) {
      return false;
    }
    return Character.toUpperCase(n.charAt(17)) == checkCharacter(n);
  }

  /** The date of birth encoded in a (well-formed) number. */
  public static LocalDate birthDate(String n) {
    return LocalDate.of(Integer.parseInt(n.substring(6, 10)), Integer.parseInt(n.substring(10, 12)),
        Integer.parseInt(n.substring(12, 14)));
  }
}
