package org.epiloop.venue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Base32;
import org.epiloop.shared.Secrets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Venue codes and the tokens their QR codes hold. A code is {@code V} and 8 random Base32
 * characters (40 bits). A token is {@code VN} followed by the Base32 of the code's bytes and an
 * 80-bit HMAC-SHA256 over them (key {@code venue}): verified without a database read, it
 * cannot be made for a code by anyone without the key, and a token that is not the exact
 * canonical encoding (other padding bits, other case after normalising) is refused.
 */
@Component
class VenueTokens {

  static final Pattern CODE = Pattern.compile("V[A-Z2-7]{8}");
  private static final String PREFIX = "VN";
  private static final int CODE_BYTES = 9;
  private static final int MAC_BYTES = 10;
  /** Base32 length of code and MAC: ceil(19 × 8 / 5). */
  static final int TOKEN_LENGTH = PREFIX.length() + ((CODE_BYTES + MAC_BYTES) * 8 + 4) / 5;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  @Autowired
  VenueTokens(Secrets secrets) {
    this(secrets.key("venue"));
  }

  VenueTokens(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** A fresh random venue code. */
  String newCode() {
    byte[] bytes = new byte[5];
    random.nextBytes(bytes);
    return "V" + Base32.encode(bytes);
  }

  /** The token of a venue code. */
  String issue(String venueCode) {
    if (venueCode == null || !CODE.matcher(venueCode).matches()) {
      throw new IllegalArgumentException("Not a venue code");
    }
    byte[] code = venueCode.getBytes(StandardCharsets.US_ASCII);
    byte[] all = ByteBuffer.allocate(CODE_BYTES + MAC_BYTES).put(code).put(mac(code), 0, MAC_BYTES).array();
    return PREFIX + Base32.encode(all);
  }

  /** The venue code of a genuine token; empty for anything else. Never throws. */
  Optional<String> verify(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String t = token.strip().toUpperCase(Locale.ROOT);
    if (t.length() != TOKEN_LENGTH || !t.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String body = t.substring(PREFIX.length());
    byte[] all = Base32.decode(body);
    if (all == null || all.length != CODE_BYTES + MAC_BYTES || !Base32.encode(all).equals(body)) {
      return Optional.empty();
    }
    byte[] code = Arrays.copyOf(all, CODE_BYTES);
    byte[] expected = Arrays.copyOf(mac(code), MAC_BYTES);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(all, CODE_BYTES, all.length))) {
      return Optional.empty();
    }
    String venueCode = new String(code, StandardCharsets.US_ASCII);
    return CODE.matcher(venueCode).matches() ? Optional.of(venueCode) : Optional.empty();
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
