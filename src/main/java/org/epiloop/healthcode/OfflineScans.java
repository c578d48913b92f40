package org.epiloop.healthcode;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The scans a venue gate made while its network was down (H3). The gate verified each code's
 * signature itself with the keys it had kept and admitted or refused on that; when the network
 * returns it sends what it did, and this keeps a record of it. The server checks each token again
 * as of the scan's time, so the record says whether the code really was genuine and unexpired, and
 * who it was (the person id of a genuine token only) — a gate that was fooled shows up here.
 *
 * <p>A gate makes a random id per scan and re-sends a batch until it gets an answer, so a scan is
 * stored once however often it arrives (the first arrival wins).
 */
@Component
class OfflineScans {

  /** At most this many scans in one request; a gate sends its queue in slices. */
  static final int MAX_BATCH = 500;
  /** A gate's clock may run ahead of the server's by this much; a scan further in the future is refused. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /** The longest token kept for checking (a real one is about 450 characters). */
  static final int MAX_TOKEN = 4096;
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Z_]{0,39}");

  /** What the gate did. */
  enum Verdict { ADMITTED, REFUSED }

  /** One scan as the gate logged it. */
  record Scan(UUID scanId, Instant scannedAt, String token, String verdict, String reason) {}

  /** One scan as stored: whether the server found the token genuine, and whether it was known already. */
  record Stored(UUID scanId, boolean genuine, boolean duplicate) {}

  record Outcome(int received, int duplicates, List<Stored> scans) {}

  private final JdbcClient jdbc;
  private final CodeTokens tokens;
  private final Clock clock;

  OfflineScans(JdbcClient jdbc, CodeTokens tokens, Clock clock) {
    this.jdbc = jdbc;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** Stores a batch: every scan is checked first, so a bad one stores nothing. */
  @Transactional
  Outcome record(Actor actor, List<Scan> scans) {
    ApiException.required("scans", scans);
    if (scans.size() > MAX_BATCH) {
      throw ApiException.badRequest("TOO_MANY", "scans", "at most " + MAX_BATCH + " scans per request");
    }
    Instant now = clock.instant();
    List<Verdict> verdicts = new ArrayList<>(scans.size());
    for (int i = 0; i < scans.size(); i++) {
      verdicts.add(check(scans.get(i), "scans[" + i + "]", now));
    }
    List<Stored> stored = new ArrayList<>(scans.size());
    int duplicates = 0;
    for (int i = 0; i < scans.size(); i++) {
      Scan s = scans.get(i);
      Optional<JWTClaimsSet> claims = tokens.verify(s.token(), s.scannedAt());
      Facts f = claims.flatMap(OfflineScans::facts).orElse(null);
      int inserted = jdbc.sql("""
              insert into offline_scans (scan_id, scanned_at, received_at, synced_by, verdict, reason, genuine,
                                         person_id, signed_color, issued_at, expires_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              on conflict (scan_id) do nothing""")
          .params(s.scanId(), s.scannedAt().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), actor.name(),
              verdicts.get(i).name(), s.reason() == null || s.reason().isBlank() ? null : s.reason().strip(), f != null,
              f == null ? null : f.person(), f == null ? null : f.color().name(),
              f == null ? null : f.issuedAt().atOffset(ZoneOffset.UTC), f == null ? null : f.expiresAt().atOffset(ZoneOffset.UTC))
          .update();
      duplicates += inserted == 0 ? 1 : 0;
      stored.add(new Stored(s.scanId(), f != null, inserted == 0));
    }
    return new Outcome(scans.size() - duplicates, duplicates, stored);
  }

  private static Verdict check(Scan s, String at, Instant now) {
    ApiException.required(at, s);
    ApiException.required(at + ".scanId", s.scanId());
    Instant scannedAt = ApiException.required(at + ".scannedAt", s.scannedAt());
    if (scannedAt.isAfter(now.plus(CLOCK_SKEW))) {
      throw ApiException.badRequest("INVALID_TIMESTAMP", at + ".scannedAt", "scannedAt lies in the future");
    }
    String token = ApiException.required(at + ".token", s.token());
    if (token.length() > MAX_TOKEN) {
      throw ApiException.badRequest("INVALID_TOKEN", at + ".token", "a token has at most " + MAX_TOKEN + " characters");
    }
    if (s.reason() != null && !s.reason().isBlank() && !REASON.matcher(s.reason().strip()).matches()) {
      throw ApiException.badRequest("INVALID_REASON", at + ".reason", "reason is a code of capital letters and '_', at most 40");
    }
    try {
      return Verdict.valueOf(ApiException.required(at + ".verdict", s.verdict()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_VERDICT", at + ".verdict", "verdict must be ADMITTED or REFUSED");
    }
  }

  /** What a genuine token says: whom it is for, the colour it was signed with, and its life. */
  private record Facts(UUID person, HealthColor color, Instant issuedAt, Instant expiresAt) {}

  private static Optional<Facts> facts(JWTClaimsSet c) {
    try {
      return Optional.of(new Facts(UUID.fromString(c.getSubject()), HealthColor.valueOf(c.getStringClaim("col")),
          c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()));
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
