package org.epiloop.healthcode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.epiloop.shared.PiiCrypto;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Health-code tokens: compact JWS signed EdDSA (Ed25519, RFC 8037), verifiable by stock JOSE
 * libraries with the published JWKS. Keys of the earlier ES256 (P-256) tokens are retired on
 * start but stay published for a day, so their tokens still verify until they expire. Claims: {@code sub} person id, {@code col} colour when signed,
 * {@code nm} masked name, {@code iat}, {@code exp} — never an ID number or full name.
 *
 * <p>Signing costs about 40 µs of CPU, but a person's token is reused while it has
 * at least two thirds of its life left and the colour is unchanged: a page refreshing every
 * minute causes at most one signature a minute per person.
 */
@Component
class CodeTokens {

  static final String ISSUER = "epiloop-health-code";

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final Clock clock;
  private final Duration validity;
  private final OctetKeyPair signingKey;
  private final JWSSigner signer;
  private final Map<UUID, Issued> recent = new ConcurrentHashMap<>();
  /** The tokens this server signed, by their text, while they may still be valid (bounded). */
  private final Map<String, Issued> signedHere = new ConcurrentHashMap<>();
  private volatile Map<String, JWSVerifier> verifiers = Map.of();
  private volatile Instant verifiersLoadedAt = Instant.EPOCH;

  static final int REMEMBERED = 200_000;

  /** A signed token, its claims and when it expires. */
  record Issued(String token, HealthColor color, Instant expiresAt, JWTClaimsSet claims) {}

  CodeTokens(JdbcClient jdbc, PiiCrypto crypto, Clock clock, @Value("${epiloop.health-code.token-validity:3m}") Duration validity,
      @Value("${epiloop.health-code.signing-key:}") String configuredKey, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.clock = clock;
    if (validity.isNegative() || validity.isZero() || validity.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("epiloop.health-code.token-validity must be between 1 s and 24 h, was " + validity);
    }
    this.validity = validity;
    Optional<OctetKeyPair> configured = configured(configuredKey);
    // Copies starting together on one database: the lock makes one of them store (or generate)
    // the key and the others find it, instead of each generating its own (ADR 0022).
    this.signingKey = new TransactionTemplate(transactions).execute(tx -> {
      jdbc.sql("select pg_advisory_xact_lock(hashtext('epiloop.health_signing_keys'))").query((rs, i) -> 1).list();
      return configured.map(this::useConfigured).orElseGet(this::activeKey);
    });
    this.signer = new Ed25519Jws.Signer(signingKey);
  }

  /**
   * {@code EPILOOP_HEALTH_CODE_SIGNING_KEY}: base64 of a 32-byte Ed25519 private key, the same in
   * every copy (then no copy generates one).
   */
  private static Optional<OctetKeyPair> configured(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Ed25519Jws.fromSeed(java.util.Base64.getDecoder().decode(value.strip())));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("epiloop.health-code.signing-key (EPILOOP_HEALTH_CODE_SIGNING_KEY) must be base64 of a 32-byte "
          + "Ed25519 private key (e.g. `openssl rand -base64 32`)");
    }
  }

  /**
   * Stores the configured key when it is not stored yet (the JWKS publishes it, and verifiers
   * find it) and retires every other key still signing: they stay published for a day.
   */
  private OctetKeyPair useConfigured(OctetKeyPair key) {
    jdbc.sql("insert into health_signing_keys (kid, private_enc, public_jwk, created_at) values (?, ?, ?, ?) on conflict do nothing")
        .params(key.getKeyID(), crypto.encrypt(key.toJSONString()), key.toPublicJWK().toJSONString(),
            clock.instant().atOffset(ZoneOffset.UTC))
        .update();
    jdbc.sql("update health_signing_keys set retired_at = null where kid = ?").param(key.getKeyID()).update();
    jdbc.sql("update health_signing_keys set retired_at = ? where retired_at is null and kid <> ?")
        .params(clock.instant().atOffset(ZoneOffset.UTC), key.getKeyID()).update();
    return key;
  }

  Issued issue(UUID personId, HealthColor color, String nameMasked) {
    Instant now = clock.instant();
    Issued last = recent.get(personId);
    if (last != null && last.color() == color && last.expiresAt().minus(validity.multipliedBy(2).dividedBy(3)).isAfter(now)) {
      return last;
    }
    Instant exp = now.plus(validity);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(personId.toString()).claim("col", color.name())
        .claim("nm", nameMasked).issueTime(Date.from(now)).expirationTime(Date.from(exp)).jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a health-code token", e);
    }
    Issued issued = new Issued(jwt.serialize(), color, exp, claims);
    if (recent.size() > REMEMBERED) {
      recent.clear();
    }
    if (signedHere.size() > REMEMBERED) {
      signedHere.values().removeIf(i -> !i.expiresAt().isAfter(now));
      if (signedHere.size() > REMEMBERED / 2) {
        signedHere.clear();
      }
    }
    recent.put(personId, issued);
    signedHere.put(issued.token(), issued);
    return issued;
  }

  /** The public keys, current and recently retired, as a JWKS document. */
  Map<String, Object> jwks() {
    List<JWK> keys = jdbc.sql("select public_jwk from health_signing_keys where retired_at is null or retired_at > ? order by created_at")
        .param(clock.instant().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
        .query((rs, i) -> parse(rs.getString(1))).list();
    return new JWKSet(keys).toJSONObject(true);
  }

  /**
   * The claims of a token whose signature, issuer and expiry check out against our keys. A token
   * this server signed in the last minutes is known by its exact text, so checking it needs no
   * signature verification (a third of a millisecond of CPU saved per scan); any other token
   * (signed by another copy of the server, or before a restart) is verified with the public key.
   */
  Optional<JWTClaimsSet> verify(String token) {
    return verify(token, clock.instant());
  }

  /**
   * The claims of a token that was genuine and unexpired at {@code now}: a scan a gate made offline
   * is checked as of the time it was made.
   */
  Optional<JWTClaimsSet> verify(String token, Instant now) {
    if (token == null) {
      return Optional.empty();
    }
    Issued mine = signedHere.get(token.strip());
    if (mine != null) {
      return mine.expiresAt().isAfter(now) ? Optional.of(mine.claims()) : Optional.empty();
    }
    return OfflineVerifier.verify(this::verifier, token, now);
  }

  /**
   * The verifier of a key id, from the keys in the database; reloaded every minute, and at most
   * every ten seconds when a token names a key id not loaded (a key added by another copy).
   */
  private JWSVerifier verifier(String kid) {
    Instant now = clock.instant();
    Map<String, JWSVerifier> known = verifiers;
    JWSVerifier v = known.get(kid);
    Duration age = Duration.between(verifiersLoadedAt, now);
    if (age.isNegative() || (v == null && age.compareTo(Duration.ofSeconds(10)) > 0) || age.compareTo(Duration.ofMinutes(1)) > 0) {
      Map<String, JWSVerifier> loaded = new java.util.HashMap<>();
      try {
        for (JWK key : JWKSet.parse(jwks()).getKeys()) {
          JWSVerifier verifier = OfflineVerifier.verifierFor(key);
          if (verifier != null && key.getKeyID() != null) {
            loaded.put(key.getKeyID(), verifier);
          }
        }
      } catch (ParseException e) {
        throw new IllegalStateException("The stored public keys cannot be read", e);
      }
      verifiers = Map.copyOf(loaded);
      verifiersLoadedAt = now;
      v = loaded.get(kid);
    }
    return v;
  }

  /**
   * The oldest unretired Ed25519 key; generated and stored (encrypted) when there is none. Keys
   * of another kind (the ES256 keys of earlier versions) are retired then: they sign no more but
   * stay in the JWKS for a day, longer than any of their tokens lives.
   */
  private OctetKeyPair activeKey() {
    Optional<OctetKeyPair> stored = load();
    if (stored.isEmpty()) {
      OctetKeyPair key = Ed25519Jws.generate();
      jdbc.sql("insert into health_signing_keys (kid, private_enc, public_jwk, created_at) values (?, ?, ?, ?) on conflict do nothing")
          .params(key.getKeyID(), crypto.encrypt(key.toJSONString()), key.toPublicJWK().toJSONString(),
              clock.instant().atOffset(ZoneOffset.UTC))
          .update();
      stored = load();
    }
    OctetKeyPair active = stored.orElseThrow();
    List<String> otherKinds = jdbc.sql("select kid, public_jwk from health_signing_keys where retired_at is null")
        .query((rs, i) -> parse(rs.getString(2)) instanceof OctetKeyPair ? null : rs.getString(1)).list().stream()
        .filter(java.util.Objects::nonNull).toList();
    if (!otherKinds.isEmpty()) {
      jdbc.sql("update health_signing_keys set retired_at = ? where retired_at is null and kid = any(?)")
          .params(clock.instant().atOffset(ZoneOffset.UTC), otherKinds.toArray(String[]::new)).update();
    }
    return active;
  }

  private Optional<OctetKeyPair> load() {
    return jdbc.sql("select private_enc from health_signing_keys where retired_at is null order by created_at")
        .query((rs, i) -> parse(crypto.decrypt(rs.getBytes(1)))).list().stream()
        .filter(OctetKeyPair.class::isInstance).map(OctetKeyPair.class::cast).findFirst();
  }

  private static JWK parse(String json) {
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("A stored signing key cannot be read", e);
    }
  }
}
