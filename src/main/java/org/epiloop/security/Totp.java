package org.epiloop.security;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Base32;

/**
 * Time-based one-time codes (RFC 6238) as authenticator apps make them: HMAC-SHA1, 6 digits,
 * 30-second steps, a 160-bit secret written in Base32. A code of the current step or the one
 * before is accepted (a code typed just as it changes, a phone clock a little behind); the
 * caller refuses a step it has already seen, so a code works once.
 */
final class Totp {

  static final Duration STEP = Duration.ofSeconds(30);
  static final int SECRET_BYTES = 20;
  private static final String ISSUER = "Epiloop";
  private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator(STEP, 6);

  private Totp() {}

  /** A new random secret, in Base32. */
  static String newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return Base32.encode(secret);
  }

  /** The secret's bytes, or null when it is not Base32 of at least 80 bits. */
  static byte[] decode(String base32) {
    if (base32 == null) {
      return null;
    }
    byte[] bytes = Base32.decode(base32.strip().replace(" ", "").replace("=", "").toUpperCase(java.util.Locale.ROOT));
    return bytes == null || bytes.length < 10 ? null : bytes;
  }

  /** The code for the step that holds {@code at}. */
  static String code(byte[] secret, Instant at) {
    try {
      return GENERATOR.generateOneTimePasswordString(new SecretKeySpec(secret, GENERATOR.getAlgorithm()), at);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
  }

  /** The step whose code this is (now or one step back), or empty. */
  static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
    if (code == null) {
      return OptionalLong.empty();
    }
    byte[] given = code.strip().getBytes(StandardCharsets.US_ASCII);
    long current = step(now);
    for (long s = current; s >= current - 1; s--) {
      byte[] expected = code(secret, Instant.ofEpochSecond(s * STEP.toSeconds())).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, given)) {
        return OptionalLong.of(s);
      }
    }
    return OptionalLong.empty();
  }

  /** The {@code otpauth://} URI an authenticator app reads (as a QR code or pasted). */
  static String uri(String username, String base32Secret) {
    String label = URLEncoder.encode(ISSUER + ":" + username, StandardCharsets.UTF_8).replace("+", "%20");
    return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + ISSUER
        + "&algorithm=SHA1&digits=6&period=" + STEP.toSeconds();
  }
}
