package org.epiloop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Role;
import org.epiloop.shared.Secrets;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * Bearer tokens for staff and residents: HS256 JWTs signed with a server key. Only the server
 * verifies them, so a symmetric key is enough and keeps verification cheap on the scan path
 * (see docs/adr/0003). Claims: {@code sub}, {@code role}, and {@code site}, {@code lab} or
 * {@code acct} for scoped roles.
 */
@Component
class Tokens {

  static final String ISSUER = "epiloop";

  private final JwtEncoder encoder;
  private final NimbusJwtDecoder decoder;
  private final Clock clock;

  Tokens(Secrets secrets, Clock clock) {
    SecretKey key = new SecretKeySpec(secrets.key("staff-token"), "HmacSHA256");
    this.encoder = NimbusJwtEncoder.withSecretKey(key).build();
    this.decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(30));
    timestamps.setClock(clock);
    this.decoder.setJwtValidator(timestamps);
    this.clock = clock;
  }

  record Issued(String token, long expiresInSeconds) {}

  Issued issue(Actor actor, Duration ttl) {
    Instant now = clock.instant();
    JwtClaimsSet.Builder claims =
        JwtClaimsSet.builder().issuer(ISSUER).subject(actor.name()).issuedAt(now).expiresAt(now.plus(ttl))
            .claim("role", actor.role().name());
    if (actor.siteCode() != null) {
      claims.claim("site", actor.siteCode());
    }
    if (actor.labCode() != null) {
      claims.claim("lab", actor.labCode());
    }
    if (actor.accountId() != null) {
      claims.claim("acct", actor.accountId().toString());
    }
    String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
        .getTokenValue();
    return new Issued(token, ttl.toSeconds());
  }

  /**
   * The request decoder: verifies a token once and then serves it from a bounded cache until it
   * expires, since a terminal sends the same token with every scan. Expiry is checked on every
   * use; the cache is dropped whole when it grows past its bound.
   */
  JwtDecoder decoder() {
    return token -> {
      Jwt cached = verified.get(token);
      if (cached != null && cached.getExpiresAt() != null && cached.getExpiresAt().isAfter(clock.instant())) {
        return cached;
      }
      Jwt jwt = decoder.decode(token);
      if (verified.size() >= CACHE_LIMIT) {
        verified.clear();
      }
      verified.put(token, jwt);
      return jwt;
    };
  }

  private static final int CACHE_LIMIT = 50_000;
  private final java.util.concurrent.ConcurrentHashMap<String, Jwt> verified = new java.util.concurrent.ConcurrentHashMap<>();

  /** Turns a verified JWT into an authentication whose principal is the {@link Actor}. */
  static final class ActorConverter implements Converter<Jwt, AbstractAuthenticationToken> {
    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
      Role role = Role.valueOf(jwt.getClaimAsString("role"));
      String acct = jwt.getClaimAsString("acct");
      Actor actor = new Actor(jwt.getSubject(), role, jwt.getClaimAsString("site"), jwt.getClaimAsString("lab"),
          acct == null ? null : UUID.fromString(acct));
      return new ActorAuthentication(actor, jwt);
    }
  }

  static final class ActorAuthentication extends AbstractAuthenticationToken {
    private final Actor actor;
    private final Jwt jwt;

    ActorAuthentication(Actor actor, Jwt jwt) {
      super(List.of(new SimpleGrantedAuthority(actor.role().authority())));
      this.actor = actor;
      this.jwt = jwt;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return jwt;
    }

    @Override
    public Object getPrincipal() {
      return actor;
    }

    @Override
    public String getName() {
      return actor.name();
    }
  }
}
