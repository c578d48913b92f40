package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.Secrets;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Tokens signed with the real staff key but with claims the server never issues: each is 401,
 * never a 500 (issue 13 item 5). The control token, made the same way with every claim right,
 * is let in, so the refusals are about the claims and not the signature.
 */
class TokenClaimsTest extends IntegrationTest {

  @Autowired Secrets secrets;

  @Test
  void aTokenWithEveryClaimRightIsLetIn() {
    assertThat(api().as(sign(c -> {})).get("/api/v1/districts").status()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutExpiryIsRefused() {
    assertRefused(sign(c -> c.claims(m -> m.remove("exp"))));
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() {
    assertRefused(sign(c -> c.issuer("https://elsewhere.example")));
    assertRefused(sign(c -> c.claims(m -> m.remove("iss"))));
  }

  @Test
  void aTokenWithAnUnknownRoleIsRefusedNot500() {
    assertRefused(sign(c -> c.claim("role", "KING")));
    assertRefused(sign(c -> c.claim("role", 7)));
    assertRefused(sign(c -> c.claims(m -> m.remove("role"))));
  }

  @Test
  void aTokenWithoutIdOrGenerationOrWithABadAccountIsRefused() {
    assertRefused(sign(c -> c.claims(m -> m.remove("jti"))));
    assertRefused(sign(c -> c.id("not-a-uuid")));
    assertRefused(sign(c -> c.claims(m -> m.remove(Tokens.GENERATION))));
    assertRefused(sign(c -> c.claim(Tokens.GENERATION, 1)));
    assertRefused(sign(c -> c.claim("role", "RESIDENT").claim("acct", "not-a-uuid")));
    assertRefused(sign(c -> c.subject("nobody-at-all")));
  }

  private void assertRefused(String token) {
    Api.Res r = api().as(token).get("/api/v1/districts");
    assertThat(r.status()).as(r.toString()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("UNAUTHORIZED");
  }

  /** A token for a fresh OFFICIAL of generation 0, as the server would issue it, then changed. */
  private String sign(Consumer<JwtClaimsSet.Builder> change) {
    String name = unique("off").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "OFFICIAL")), 201);
    Instant now = clock.instant();
    JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer(Tokens.ISSUER).subject(name).issuedAt(now)
        .expiresAt(now.plus(Duration.ofHours(1))).id(UUID.randomUUID().toString()).claim("role", "OFFICIAL")
        .claim(Tokens.GENERATION, 0);
    change.accept(claims);
    NimbusJwtEncoder encoder = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(secrets.key("staff-token"), "HmacSHA256")).build();
    return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build())).getTokenValue();
  }
}
