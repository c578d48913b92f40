package org.epiloop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Role;
import org.epiloop.shared.Secrets;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * Bearer tokens for staff and residents: HS256 JWTs signed with a server key. Only the server
 * verifies them, so a symmetric key is enough and keeps verification cheap on the scan path
 * (see docs/adr/0003). Claims: {@code iss}, {@code sub}, {@code iat}, {@code exp}, {@code jti},
 * {@code role}, {@code site}, {@code lab} or {@code acct} for scoped roles, and {@code gen}
 * (the account's token generation) for staff. A token without any of them, with another
 * issuer or an unknown role is refused (401), as is a revoked one (see {@link Revocations} and
 * docs/adr/0016).
 */
@Component
class Tokens {

  static final String ISSUER = "epiloop";
  static final String GENERATION = "gen";

  private final JwtEncoder encoder;
  private final NimbusJwtDecoder decoder;
  private final Clock clock;
  private final Revocations revocations;

  Tokens(Secrets secrets, Clock clock, Revocations revocations) {
    SecretKey key = new SecretKeySpec(secrets.key("staff-token"), "HmacSHA256");
    this.encoder = NimbusJwtEncoder.withSecretKey(key).build();
    this.decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(30));
    timestamps.setClock(clock);
    this.decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.<OAuth2TokenValidator<Jwt>>of(
        timestamps,
        new JwtIssuerValidator(ISSUER),
        // the timestamp check passes a token without exp: such a token would never expire
        new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
        new JwtClaimValidator<Object>(JwtClaimNames.IAT, Objects::nonNull),
        new JwtClaimValidator<Object>(JwtClaimNames.SUB, v -> v instanceof String s && !s.isBlank()),
        new JwtClaimValidator<Object>(JwtClaimNames.JTI, Tokens::isUuid),
        new JwtClaimValidator<Object>("role", v -> v instanceof String s && role(s) != null),
        // (a JwtClaimValidator fails a claim that is absent; acct is there for residents only)
        jwt -> jwt.getClaim("acct") == null || isUuid(jwt.getClaim("acct")) ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The acct claim is not valid", null)))));
    this.clock = clock;
    this.revocations = revocations;
  }

  record Issued(String token, long expiresInSeconds) {}

  /** A resident's token: revocable one by one (logout). */
  Issued issue(Actor actor, Duration ttl) {
    return issue(actor, ttl, null);
  }

  /** A staff token of the account's current generation: revoked with it (see {@link Revocations}). */
  Issued issue(Actor actor, Duration ttl, Integer generation) {
    Instant now = clock.instant();
    JwtClaimsSet.Builder claims =
        JwtClaimsSet.builder().issuer(ISSUER).subject(actor.name()).issuedAt(now).expiresAt(now.plus(ttl))
            .id(UUID.randomUUID().toString())
            .claim("role", actor.role().name());
    if (generation != null) {
      claims.claim(GENERATION, generation);
    }
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
   * use, and revocation too (itself kept a few seconds); the cache is dropped whole when it
   * grows past its bound.
   */
  JwtDecoder decoder() {
    return token -> {
      Jwt jwt = verified.get(token);
      if (jwt == null || !jwt.getExpiresAt().isAfter(clock.instant())) {
        jwt = decoder.decode(token);
        if (verified.size() >= CACHE_LIMIT) {
          verified.clear();
        }
        verified.put(token, jwt);
      }
      if (!revocations.valid(jwt)) {
        throw new BadJwtException("The token has been revoked");
      }
      return jwt;
    };
  }

  private static boolean isUuid(Object v) {
    if (!(v instanceof String s)) {
      return false;
    }
    try {
      UUID.fromString(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Role role(String name) {
    for (Role r : Role.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private static final int CACHE_LIMIT = 50_000;
  private final java.util.concurrent.ConcurrentHashMap<String, Jwt> verified = new java.util.concurrent.ConcurrentHashMap<>();

  /** Turns a verified JWT into an authentication whose principal is the {@link Actor}. */
  static final class ActorConverter implements Converter<Jwt, AbstractAuthenticationToken> {
    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
      // the decoder's validators have checked both; a token that slips past is still a 401
      Role role = role(jwt.getClaimAsString("role"));
      String acct = jwt.getClaimAsString("acct");
      if (role == null || (acct != null && !isUuid(acct))) {
        throw new InvalidBearerTokenException("Unknown role or account in the token");
      }
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
