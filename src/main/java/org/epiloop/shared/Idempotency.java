package org.epiloop.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exactly-once scans. A scan claims its key by inserting it (with {@code on conflict do
 * nothing}) in the scan's own transaction; a concurrent retry with the same key waits on that
 * row and then replays the stored response. A failed scan rolls back its claim, so a retry is
 * evaluated afresh. The same key with a different request (or from another user) is 422
 * {@code IDEMPOTENCY_KEY_REUSED}. See docs/adr/0005.
 */
@Component
public class Idempotency {

  /** Keys are kept this long; terminals retry within minutes, offline queues within hours. */
  static final Duration RETENTION = Duration.ofDays(7);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  Idempotency(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /**
   * What the first request with a key left: its status, and either its response body or a
   * reference from which the owning module rebuilds it.
   */
  public record Stored(int status, String body, UUID ref) {}

  /** Parses the header value, or 400 {@code INVALID_IDEMPOTENCY_KEY}. */
  public static UUID parseKey(String header) {
    try {
      return UUID.fromString(header.strip());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key", "Idempotency-Key must be a UUID");
    }
  }

  /** A fingerprint of the request: who sent what to where. */
  public byte[] fingerprint(Actor actor, String target, Object body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(actor.name().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(target.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(json.writeValueAsBytes(body));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * 422 {@code IDEMPOTENCY_KEY_REUSED} when the key is already taken by a different request.
   * Checked before the request is validated, without claiming the key: a reused key is the
   * client's bug and must be reported as such even when the new body is also invalid (a 400
   * would hide it). A plain read: the claim in the scan's own statement still decides races.
   */
  public void requireUnusedOrSame(UUID key, byte[] fingerprint) {
    jdbc.sql("select request_hash from idempotency_keys where key = ?").param(key)
        .query((rs, i) -> rs.getBytes(1)).optional()
        .filter(hash -> !MessageDigest.isEqual(hash, fingerprint))
        .ifPresent(hash -> {
          throw reused();
        });
  }

  /**
   * Claims a key for a scan in the caller's transaction, recording the status it answers with and
   * the id of what it made ({@code ref}, from which the owning module rebuilds the response). False
   * when the key was claimed already: the statement waited for that request to commit, and the
   * caller answers {@link #replay} instead. A refusal after a claim rolls the claim back with it.
   */
  public boolean claim(UUID key, Actor actor, byte[] fingerprint, int status, UUID ref) {
    return jdbc.sql("""
            insert into idempotency_keys (key, actor, request_hash, created_at, status, ref) values (?, ?, ?, ?, ?, ?)
            on conflict (key) do nothing returning key""")
        .params(key, actor.name(), fingerprint, clock.instant().atOffset(ZoneOffset.UTC), status, ref)
        .query(UUID.class).optional().isPresent();
  }

  /**
   * What the first request with this key left (a statement that tried to claim the key has
   * already waited for that request to commit), or 422 when the key was used for a different
   * request.
   */
  public Stored replay(UUID key, byte[] fingerprint) {
    record Row(byte[] hash, Integer status, String body, UUID ref) {}
    Row s = jdbc.sql("select request_hash, status, response, ref from idempotency_keys where key = ?").param(key)
        .query((rs, i) -> new Row(rs.getBytes(1), (Integer) rs.getObject(2), rs.getString(3), rs.getObject(4, UUID.class))).single();
    if (!MessageDigest.isEqual(s.hash(), fingerprint)) {
      throw reused();
    }
    if (s.status() == null) {
      throw new ApiException(HttpStatus.CONFLICT, "IDEMPOTENCY_IN_PROGRESS", "The first request with this key is still running", null);
    }
    return new Stored(s.status(), s.body(), s.ref());
  }

  private static ApiException reused() {
    return ApiException.unprocessable("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key",
        "This Idempotency-Key was used for a different request; make a new key for a new scan");
  }

  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void purge() {
    jdbc.sql("delete from idempotency_keys where created_at < ?")
        .param(clock.instant().minus(RETENTION).atOffset(ZoneOffset.UTC)).update();
  }
}
