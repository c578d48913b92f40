package org.epiloop.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts personal data at rest (AES-256-GCM, random 96-bit nonce, format {@code version ‖
 * nonce ‖ ciphertext ‖ tag}) and derives lookup keys (HMAC-SHA256 with a separate key, domain
 * separated per kind of value) so that equal values can be found without storing them in
 * clear.
 */
@Component
public class PiiCrypto {

  private static final byte VERSION = 1;
  private static final int NONCE = 12;

  private final SecretKeySpec encKey;
  private final SecretKeySpec macKey;
  private final SecureRandom random = new SecureRandom();
  private final ThreadLocal<Mac> macs;

  PiiCrypto(Secrets secrets) {
    this.encKey = new SecretKeySpec(secrets.key("pii-encryption"), 0, 32, "AES");
    this.macKey = new SecretKeySpec(secrets.key("pii-hash"), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(macKey);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  public byte[] encrypt(String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, nonce));
      byte[] ct = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Encryption failed", e);
    }
  }

  public String decrypt(byte[] sealed) {
    if (sealed == null) {
      return null;
    }
    if (sealed.length < 1 + NONCE + 16 || sealed[0] != VERSION) {
      throw new IllegalStateException("Unknown ciphertext format");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, sealed, 1, NONCE));
      byte[] plain = cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Decryption failed: wrong key or tampered data", e);
    }
  }

  /** Keyed hash of a value of the given kind (e.g. {@code "id"}, {@code "phone"}). */
  public byte[] hash(String kind, String value) {
    Mac mac = macs.get();
    mac.update(kind.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
  }
}
