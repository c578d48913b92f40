package org.epiloop.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.epiloop.shared.ApiException;
import org.springframework.stereotype.Component;

/**
 * What a staff password must be (ASVS 2.1): at least 12 characters, at most 72 bytes (bcrypt
 * reads no further), and not one of the common and breached passwords bundled in
 * {@code security/common-passwords.txt} (see its NOTICE), nor such a password with digits or
 * symbols stuck on either end ({@code password-123}, {@code !qwerty2024}), which is what
 * cracking rules try first.
 */
@Component
class PasswordPolicy {

  static final int MIN_LENGTH = 12;
  static final int MAX_BYTES = 72;
  private static final String LIST = "security/common-passwords.txt";

  // The list as sorted 64-bit fingerprints (SHA-256 prefixes): 8 bytes an entry instead of a
  // string each, and a false match is a 2^-64 chance per entry.
  private final long[] common;

  PasswordPolicy() {
    this.common = load();
  }

  /** Fails with 400 {@code WEAK_PASSWORD} naming {@code field} unless the password is acceptable. */
  void check(String field, String password) {
    ApiException.required(field, password);
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      throw weak(field, field + " must have at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      // not weak, but bcrypt would silently ignore the rest: its own code, so the page can say so
      throw ApiException.badRequest("PASSWORD_TOO_LONG", field, field + " must have at most " + MAX_BYTES + " bytes");
    }
    if (isCommon(password)) {
      throw weak(field, field + " is a common or breached password; choose another");
    }
  }

  /** Whether the password, or its core without digits and symbols at the ends, is on the list. */
  boolean isCommon(String password) {
    String lower = password.toLowerCase(Locale.ROOT);
    for (String candidate : List.of(lower, core(lower))) {
      if (!candidate.isEmpty() && Arrays.binarySearch(common, fingerprint(candidate)) >= 0) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return common.length;
  }

  private static String core(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && !Character.isLetter(s.charAt(from))) {
      from++;
    }
    while (to > from && !Character.isLetter(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  private static ApiException weak(String field, String detail) {
    return ApiException.badRequest("WEAK_PASSWORD", field, detail);
  }

  private static long[] load() {
    InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST);
    if (in == null) {
      throw new IllegalStateException(LIST + " is missing from the build");
    }
    long[] out = new long[64 * 1024];
    int n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String p = line.strip();
        if (p.isEmpty()) {
          continue;
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = fingerprint(p.toLowerCase(Locale.ROOT));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + LIST, e);
    }
    long[] sorted = Arrays.copyOf(out, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private static long fingerprint(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
