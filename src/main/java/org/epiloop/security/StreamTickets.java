package org.epiloop.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tickets that open one server-sent event stream. A browser's EventSource cannot send an
 * Authorization header, and a bearer token in a URL would outlive the request in histories and
 * proxy logs; so the page trades its bearer token for a ticket that is random (256 bits), bound to
 * one stream path, valid for {@link #TTL} and good for one use. Tickets live in the database
 * (any copy of the application can redeem one that another issued), stored only as a hash; the
 * application never logs them ({@link Ticket#toString()}).
 */
@Component
public class StreamTickets {

  /** How long a ticket may wait before it is used: the page uses it at once. */
  public static final Duration TTL = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  StreamTickets(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A ticket for one stream. */
  public record Ticket(String ticket, long expiresIn) {
    @Override
    public String toString() { // a live credential: never in a log line
      return "Ticket[expiresIn=" + expiresIn + "]";
    }
  }

  /** Issues a ticket that opens the stream at {@code path} as {@code actor}. */
  @Transactional
  public Ticket issue(Actor actor, String path) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Instant now = clock.instant();
    jdbc.sql("delete from stream_tickets where expires_at < ?").param(now.atOffset(ZoneOffset.UTC)).update();
    jdbc.sql("""
            insert into stream_tickets (ticket_hash, path, username, role, site_code, lab_code, expires_at)
            values (?, ?, ?, ?, ?, ?, ?)""")
        .params(hash(ticket), path, actor.name(), actor.role().name(), actor.siteCode(), actor.labCode(),
            now.plus(TTL).atOffset(ZoneOffset.UTC))
        .update();
    return new Ticket(ticket, TTL.toSeconds());
  }

  /** The actor a ticket was issued to, if it is valid for this path; the ticket is used up either way. */
  @Transactional
  Optional<Actor> redeem(String ticket, String path) {
    if (ticket == null || ticket.isBlank() || ticket.length() > 100) {
      return Optional.empty();
    }
    record Row(String path, String username, String role, String site, String lab, Instant expires) {}
    return jdbc.sql("delete from stream_tickets where ticket_hash = ? returning path, username, role, site_code, lab_code, expires_at")
        .param(hash(ticket.strip()))
        .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getObject(6, java.time.OffsetDateTime.class).toInstant()))
        .optional()
        .filter(r -> r.path().equals(path) && r.expires().isAfter(clock.instant()))
        .map(r -> new Actor(r.username(), Role.valueOf(r.role()), r.site(), r.lab(), null));
  }

  private static byte[] hash(String ticket) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
