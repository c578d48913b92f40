package org.epiloop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.epiloop.shared.DatabaseNotifications;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Whether a signed, unexpired token has been revoked: logged out on its own (its {@code jti} in
 * {@code revoked_tokens}) or, for staff, issued in an earlier generation of its account
 * (disabled, password changed or reset) or for an account that is disabled. Asked on every
 * request, so each token's answer is kept for {@link #CHECK_TTL} on this copy. Every revocation
 * notifies all copies on {@value #CHANNEL} in its own transaction (ADR 0022): when it commits,
 * each copy drops its kept answers, so a token logged out through one copy is refused by the
 * others at once (within the notification's delivery, milliseconds). Should a copy miss the
 * notification (its listening connection was being reopened), the short life bounds the delay.
 */
@Component
class Revocations {

  static final Duration CHECK_TTL = Duration.ofSeconds(5);
  static final String CHANNEL = "epiloop_revocations";
  private static final int CACHE_LIMIT = 50_000;

  private record Checked(boolean valid, Instant at) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final DatabaseNotifications notifications;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>();
  /**
   * Moved on every forgetting: an answer looked up before a revocation committed and stored after
   * the kept answers were dropped would otherwise stand for another {@link #CHECK_TTL}.
   */
  private final AtomicLong epoch = new AtomicLong();

  Revocations(JdbcClient jdbc, Clock clock, DatabaseNotifications notifications) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.notifications = notifications;
    notifications.listen(CHANNEL, payload -> forget());
  }

  /** Whether the token (already verified: signature, claims, expiry) still stands. */
  boolean valid(Jwt jwt) {
    String jti = jwt.getId();
    Instant now = clock.instant();
    Checked c = checked.get(jti);
    if (c != null && !c.at().plus(CHECK_TTL).isBefore(now) && !c.at().isAfter(now)) {
      return c.valid();
    }
    long before = epoch.get();
    boolean valid = lookUp(jwt);
    if (checked.size() >= CACHE_LIMIT) {
      checked.clear();
    }
    checked.put(jti, new Checked(valid, now));
    if (epoch.get() != before) {
      // a revocation landed while this one was looked up: keep nothing that may predate it
      checked.remove(jti);
    }
    return valid;
  }

  private boolean lookUp(Jwt jwt) {
    UUID jti = UUID.fromString(jwt.getId());
    if (Role.RESIDENT.name().equals(jwt.getClaimAsString("role"))) {
      return !jdbc.sql("select exists (select 1 from revoked_tokens where jti = ?)").param(jti).query(Boolean.class).single();
    }
    Object gen = jwt.getClaim(Tokens.GENERATION);
    if (!(gen instanceof Number generation)) {
      return false;
    }
    return jdbc.sql("""
            select enabled and token_generation = ? and not exists (select 1 from revoked_tokens where jti = ?)
            from staff_users where username = ?""")
        .params(generation.intValue(), jti, jwt.getSubject())
        .query(Boolean.class).optional().orElse(false);
  }

  /** Revokes one token until it would have expired (a logout). */
  void revoke(Jwt jwt) {
    jdbc.sql("insert into revoked_tokens (jti, expires_at) values (?, ?) on conflict (jti) do nothing")
        .params(UUID.fromString(jwt.getId()), jwt.getExpiresAt().atOffset(ZoneOffset.UTC))
        .update();
    forgetAfterCommit();
  }

  /**
   * Drops the kept answers of every copy once the current transaction commits (at once without
   * one): this copy's directly, so that a revocation made here is seen by the next request and a
   * request racing the commit cannot keep the old answer; the others' by a notification sent in
   * the transaction, which PostgreSQL delivers when it commits.
   */
  void forgetAfterCommit() {
    notifications.send(CHANNEL, "");
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          forget();
        }
      });
    }
    forget();
  }

  private void forget() {
    epoch.incrementAndGet();
    checked.clear();
  }

  @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
  void purge() {
    jdbc.sql("delete from revoked_tokens where expires_at < ?").param(clock.instant().minus(Duration.ofMinutes(5)).atOffset(ZoneOffset.UTC))
        .update();
  }
}
