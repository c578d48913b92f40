package org.epiloop.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Base32;
import org.epiloop.shared.Secrets;
import org.springframework.stereotype.Component;

/**
 * Appointment codes (预约码): {@code AP} followed by the Base32 of a person id, an expiry
 * (minutes since the epoch) and an 80-bit HMAC over both. They are verified without a
 * database read, cannot be guessed or forged, and carry nothing personal.
 */
@Component
public class AppointmentCodes {

  static final Duration VALIDITY = Duration.ofDays(7);
  private static final String PREFIX = "AP";
  private static final int MAC_BYTES = 10;

  private final SecretKeySpec key;
  private final Clock clock;

  AppointmentCodes(Secrets secrets, Clock clock) {
    this.key = new SecretKeySpec(secrets.key("appointment"), "HmacSHA256");
    this.clock = clock;
  }

  /** An appointment code and when it stops working. */
  public record Code(String appointmentCode, Instant expiresAt) {}

  public Code issue(UUID personId) {
    Instant expires = clock.instant().plus(VALIDITY);
    int minutes = (int) (expires.getEpochSecond() / 60);
    ByteBuffer payload = ByteBuffer.allocate(20).putLong(personId.getMostSignificantBits())
        .putLong(personId.getLeastSignificantBits()).putInt(minutes);
    byte[] mac = mac(payload.array());
    byte[] all = ByteBuffer.allocate(20 + MAC_BYTES).put(payload.array()).put(mac, 0, MAC_BYTES).array();
    return new Code(PREFIX + Base32.encode(all), Instant.ofEpochSecond(minutes * 60L));
  }

  /** The person of a genuine, unexpired code. */
  public Optional<UUID> resolve(String code) {
    if (code == null) {
      return Optional.empty();
    }
    String c = code.strip().toUpperCase(java.util.Locale.ROOT);
    if (!c.startsWith(PREFIX) || c.length() != PREFIX.length() + 48) {
      return Optional.empty();
    }
    byte[] all = Base32.decode(c.substring(PREFIX.length()));
    if (all == null || all.length != 20 + MAC_BYTES) {
      return Optional.empty();
    }
    byte[] payload = Arrays.copyOf(all, 20);
    byte[] expected = Arrays.copyOf(mac(payload), MAC_BYTES);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(all, 20, all.length))) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    UUID person = new UUID(b.getLong(), b.getLong());
    long expiresAt = b.getInt() * 60L;
    if (clock.instant().getEpochSecond() > expiresAt) {
      return Optional.empty();
    }
    return Optional.of(person);
  }

  /** True if the scanned text looks like an appointment code rather than a tube or ID. */
  public static boolean looksLikeCode(String text) {
    return text != null && text.strip().toUpperCase(java.util.Locale.ROOT).startsWith(PREFIX) && text.strip().length() == 50;
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }


}
