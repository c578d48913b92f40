package org.epiloop.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.messaging.SmsGateway;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.PiiCrypto;
import org.epiloop.shared.Role;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Residents log in with a six-digit one-time code sent to their phone. A code is valid for 5
 * minutes, is used once, allows 5 wrong tries, and a phone gets at most one code a minute and
 * 5 an hour. Only the code's keyed hash is stored.
 */
@Service
class ResidentLogin {

  static final Duration CODE_TTL = Duration.ofMinutes(5);
  static final Duration RESEND_GAP = Duration.ofSeconds(60);
  static final int SENDS_PER_HOUR = 5;
  static final int MAX_ATTEMPTS = 5;

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final SmsGateway sms;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  ResidentLogin(JdbcClient jdbc, PiiCrypto crypto, SmsGateway sms, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.sms = sms;
    this.clock = clock;
  }

  private record Challenge(byte[] codeHash, Instant expiresAt, int attempts, boolean used,
      Instant windowStarted, int sendsInWindow, Instant lastSentAt) {}

  @Transactional
  void sendCode(String phone) {
    byte[] phoneHash = crypto.hash("phone", phone);
    Instant now = clock.instant();
    Optional<Challenge> existing = challenge(phoneHash, true);
    Instant windowStarted = now;
    int sends = 1;
    if (existing.isPresent()) {
      Challenge c = existing.get();
      if (c.lastSentAt().plus(RESEND_GAP).isAfter(now)) {
        throw ApiException.tooManyRequests("OTP_RATE_LIMITED", "Wait a minute before asking for another code");
      }
      if (c.windowStarted().plus(Duration.ofHours(1)).isAfter(now)) {
        if (c.sendsInWindow() >= SENDS_PER_HOUR) {
          throw ApiException.tooManyRequests("OTP_RATE_LIMITED", "Too many codes for this phone; try again within the hour");
        }
        windowStarted = c.windowStarted();
        sends = c.sendsInWindow() + 1;
      }
    }
    String code = String.format("%06d", random.nextInt(1_000_000));
    jdbc.sql("""
            insert into otp_challenges (phone_hash, code_hash, expires_at, attempts, used, window_started, sends_in_window, last_sent_at)
            values (:p, :c, :e, 0, false, :w, :s, :now)
            on conflict (phone_hash) do update set code_hash = :c, expires_at = :e, attempts = 0, used = false,
              window_started = :w, sends_in_window = :s, last_sent_at = :now""")
        .param("p", phoneHash).param("c", codeHash(phone, code)).param("e", utc(now.plus(CODE_TTL)))
        .param("w", utc(windowStarted)).param("s", sends).param("now", utc(now))
        .update();
    sms.send(phone, "Epiloop login code: " + code + ". Valid for 5 minutes. Never share it.");
  }

  /** Checks the code and returns the phone's account, creating it on first login. */
  @Transactional(noRollbackFor = ApiException.class)
  Actor verify(String phone, String code) {
    byte[] phoneHash = crypto.hash("phone", phone);
    Challenge c = challenge(phoneHash, true).orElseThrow(ResidentLogin::wrongCode);
    Instant now = clock.instant();
    if (c.used() || c.expiresAt().isBefore(now) || c.attempts() >= MAX_ATTEMPTS) {
      throw wrongCode();
    }
    if (code == null || !MessageDigest.isEqual(c.codeHash(), codeHash(phone, code.strip()))) {
      jdbc.sql("update otp_challenges set attempts = attempts + 1 where phone_hash = ?").param(phoneHash).update();
      throw wrongCode();
    }
    jdbc.sql("update otp_challenges set used = true where phone_hash = ?").param(phoneHash).update();
    UUID account = jdbc.sql("select id from resident_accounts where phone_hash = ?").param(phoneHash).query(UUID.class).optional()
        .orElseGet(() -> {
          UUID id = UUID.randomUUID();
          jdbc.sql("insert into resident_accounts (id, phone_hash, phone_enc, created_at) values (?, ?, ?, ?)")
              .params(id, phoneHash, crypto.encrypt(phone), utc(now)).update();
          return id;
        });
    return new Actor("resident:" + account, Role.RESIDENT, null, null, account);
  }

  private Optional<Challenge> challenge(byte[] phoneHash, boolean lock) {
    return jdbc.sql("select code_hash, expires_at, attempts, used, window_started, sends_in_window, last_sent_at from otp_challenges where phone_hash = ?"
            + (lock ? " for update" : ""))
        .param(phoneHash)
        .query((rs, i) -> new Challenge(rs.getBytes(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3),
            rs.getBoolean(4), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getInt(6),
            rs.getObject(7, OffsetDateTime.class).toInstant()))
        .optional();
  }

  private byte[] codeHash(String phone, String code) {
    return crypto.hash("otp", phone + ":" + code);
  }

  private static ApiException wrongCode() {
    return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_CODE", "The code is wrong, used or expired; ask for a new one", "code");
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
