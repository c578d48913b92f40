package org.epiloop.simulator.api;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * The server's ADMIN accounts log in with a password and a one-time code (TOTP, RFC 6238:
 * SHA-1, 6 digits, 30-second steps). The simulator computes the code from the admin's Base32
 * secret: {@code --admin-totp-secret}, else {@code EPILOOP_ADMIN_TOTP_SECRET} (the variable the
 * server reads when it creates {@code admin}).
 */
public final class SecondFactor {

  private static final TimeBasedOneTimePasswordGenerator TOTP = new TimeBasedOneTimePasswordGenerator();
  private static final Base32 BASE32 = new Base32();
  private static volatile String configured;

  private SecondFactor() {}

  /** Sets the admin's secret for this run (from a command-line option); null or blank keeps the environment's. */
  public static void useAdminSecret(String base32) {
    if (base32 != null && !base32.isBlank()) {
      configured = base32.strip();
    }
  }

  /** The admin's Base32 secret, or null when none was given. */
  public static String adminSecret() {
    if (configured != null) {
      return configured;
    }
    String env = System.getenv("EPILOOP_ADMIN_TOTP_SECRET");
    return env == null || env.isBlank() ? null : env.strip();
  }

  /** The code of the step that holds {@code at}. */
  public static String code(String base32Secret, Instant at) {
    try {
      return TOTP.generateOneTimePasswordString(new SecretKeySpec(decode(base32Secret), TOTP.getAlgorithm()), at);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a TOTP secret: " + e.getMessage(), e);
    }
  }

  /** Waits until the next 30-second step has begun and returns its start. */
  static Instant awaitNextStep() {
    long step = TOTP.getTimeStep().toMillis();
    long next = (System.currentTimeMillis() / step + 1) * step;
    try {
      Thread.sleep(Math.max(0, next - System.currentTimeMillis()) + 50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next one-time code", e);
    }
    return Instant.ofEpochMilli(next).plus(Duration.ofMillis(50));
  }

  private static byte[] decode(String base32) {
    String s = base32.replace(" ", "").toUpperCase(Locale.ROOT);
    if (!BASE32.isInAlphabet(s.replace("=", "")) || s.isEmpty()) {
      throw new IllegalArgumentException("the TOTP secret is not Base32 (A-Z, 2-7)");
    }
    return BASE32.decode(s);
  }
}
