package org.epiloop.simulator.lab;

import java.util.Random;
import java.util.regex.Pattern;

/**
 * Codes and user names of one benchmark run. Everything carries a random run prefix, so a bench
 * can run again and again against the same server without colliding with earlier runs.
 *
 * <p>Server rules: tube and box codes 4–32 letters, digits or '-'; district, site and lab codes
 * 2–32 letters, digits, '-' or '_'; user names lower-case, 3–64 characters.
 */
public final class Codes {

  static final Pattern TUBE_OR_BOX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{3,31}");
  static final Pattern DIRECTORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,31}");
  static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

  private final String kind;
  private final String prefix;

  /**
   * @param kind two lower-case letters naming the bench ("rb", "lb")
   * @param prefix the run prefix, see {@link #randomPrefix(Random)}
   */
  public Codes(String kind, String prefix) {
    this.kind = kind;
    this.prefix = prefix;
  }

  /** 6 characters of [a-z0-9], starting with a letter. */
  public static String randomPrefix(Random r) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    String alnum = letters + "0123456789";
    StringBuilder b = new StringBuilder().append(letters.charAt(r.nextInt(letters.length())));
    for (int i = 1; i < 6; i++) {
      b.append(alnum.charAt(r.nextInt(alnum.length())));
    }
    return b.toString();
  }

  public String prefix() {
    return prefix;
  }

  public String district() {
    return kind + "-" + prefix;
  }

  public String site(int n) {
    return String.format(java.util.Locale.ROOT, "%s-%s-s%02d", kind, prefix, n);
  }

  public String lab() {
    return kind + "-" + prefix + "-lab";
  }

  /** A user name; {@code role} one letter: c collector, k courier, t lab technician, r reviewer. */
  public String user(char role, int n) {
    return String.format(java.util.Locale.ROOT, "%s-%s-%c%02d", kind, prefix, role, n);
  }

  /** "t" + prefix + "-" + n in base 36: at most 1 + 6 + 1 + 13 characters. */
  public String tube(long n) {
    return "t" + prefix + "-" + Long.toString(n, 36);
  }

  public String box(long n) {
    return "b" + prefix + "-" + Long.toString(n, 36);
  }

  String plate(long n) {
    return "p" + prefix + "-" + Long.toString(n, 36);
  }
}
