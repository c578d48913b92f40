package org.epiloop.shared;

/**
 * The one rule for text that comes from outside (JSON strings, query parameters, path variables,
 * headers): no control characters and no broken UTF-16. A NUL makes PostgreSQL fail the whole
 * statement, other controls hide text in logs and screens, and a lone surrogate cannot be
 * encoded as UTF-8. Line breaks and tabs are allowed only in free text (a reason, a note).
 */
public final class TextInput {

  /** The stable problem code of a refused character. */
  public static final String CODE = "INVALID_CHARACTER";

  private TextInput() {}

  /** Index of the first character that may not appear, or -1 when the text is acceptable. */
  public static int firstForbidden(CharSequence text, boolean freeText) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c) || forbidden(c, freeText)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the text is acceptable. */
  public static boolean isClean(CharSequence text, boolean freeText) {
    return firstForbidden(text, freeText) < 0;
  }

  /** Fails with 400 {@value #CODE} naming the field when the text holds a forbidden character. */
  public static String requireClean(String field, String text, boolean freeText) {
    if (text != null && !isClean(text, freeText)) {
      throw refused(field);
    }
    return text;
  }

  /** The 400 for a refused character; the detail never quotes the value. */
  public static ApiException refused(String field) {
    return ApiException.badRequest(CODE, field,
        (field == null ? "The request" : field) + " contains a control character or invalid Unicode");
  }

  private static boolean forbidden(char c, boolean freeText) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return !freeText;
    }
    // C0 controls, DEL and C1 controls
    return Character.isISOControl(c);
  }
}
