package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.epiloop.shared.PiiCrypto;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A server knows the tokens it signed itself by their text; a token signed by another copy of
 * the server (or before a restart) is checked with the public key, with the same answers.
 */
class CodeTokensTest extends IntegrationTest {

  @Autowired CodeTokens tokens;
  @Autowired JdbcClient jdbc;
  @Autowired PiiCrypto crypto;
  @Autowired org.springframework.transaction.PlatformTransactionManager transactions;

  @Test
  void anotherCopyOfTheServerVerifiesTheTokenByItsPublicKey() {
    UUID person = UUID.randomUUID();
    CodeTokens.Issued issued = tokens.issue(person, HealthColor.YELLOW, "张*");
    CodeTokens otherCopy = new CodeTokens(jdbc, crypto, clock, Duration.ofMinutes(3), "", transactions);

    for (CodeTokens verifier : new CodeTokens[] {tokens, otherCopy}) {
      var claims = verifier.verify(issued.token()).orElseThrow();
      assertThat(claims.getSubject()).isEqualTo(person.toString());
      assertThat(claims.getClaim("col")).isEqualTo("YELLOW");
      assertThat(claims.getClaim("nm")).isEqualTo("张*");
      assertThat(verifier.verify(" " + issued.token() + "\n")).as("scanner whitespace").isPresent();
    }

    String[] parts = issued.token().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.replace("YELLOW", "GREEN").getBytes()) + "." + parts[2];
    assertThat(tokens.verify(tampered)).isEmpty();
    assertThat(otherCopy.verify(tampered)).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();

    // the other copy's own token is known to the first by its key
    CodeTokens.Issued fromOther = otherCopy.issue(person, HealthColor.GREEN, "张*");
    assertThat(tokens.verify(fromOther.token()).orElseThrow().getClaim("col")).isEqualTo("GREEN");

    clock.advance(Duration.ofMinutes(4));
    assertThat(tokens.verify(issued.token())).as("expired, though signed here").isEmpty();
    assertThat(otherCopy.verify(issued.token())).isEmpty();
    assertThat(tokens.verify(fromOther.token())).isEmpty();
  }

  @Test
  void aKeyOfTheEarlierKindIsRetiredButItsTokensStillVerifyForADay() throws Exception {
    // an ES256 key as stored by versions before EdDSA, and a token it signed
    com.nimbusds.jose.jwk.ECKey old = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyIDFromThumbprint(true).algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).generate();
    jdbc.sql("insert into health_signing_keys (kid, private_enc, public_jwk, created_at) values (?, ?, ?, ?)")
        .params(old.getKeyID(), crypto.encrypt(old.toJSONString()), old.toPublicJWK().toJSONString(), clock.instant().atOffset(java.time.ZoneOffset.UTC))
        .update();
    UUID person = UUID.randomUUID();
    com.nimbusds.jwt.SignedJWT legacy = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID(old.getKeyID()).build(),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(CodeTokens.ISSUER).subject(person.toString()).claim("col", "GREEN")
            .expirationTime(java.util.Date.from(clock.instant().plusSeconds(180))).build());
    legacy.sign(new com.nimbusds.jose.crypto.ECDSASigner(old));

    CodeTokens restarted = new CodeTokens(jdbc, crypto, clock, Duration.ofMinutes(3), "", transactions);

    assertThat(jdbc.sql("select retired_at is not null from health_signing_keys where kid = ?").param(old.getKeyID()).query(Boolean.class).single())
        .as("the ES256 key signs no more").isTrue();
    assertThat(restarted.jwks().toString()).contains(old.getKeyID());
    assertThat(restarted.verify(legacy.serialize())).as("its unexpired token still verifies").isPresent();
    String fresh = restarted.issue(person, HealthColor.GREEN, "张*").token();
    assertThat(com.nimbusds.jwt.SignedJWT.parse(fresh).getHeader().getAlgorithm()).isEqualTo(com.nimbusds.jose.JWSAlgorithm.EdDSA);
    assertThat(tokens.verify(fresh)).isPresent();
    // a header that names ES256 over the Ed25519 key's id does not pass
    com.nimbusds.jwt.SignedJWT confused = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID(com.nimbusds.jwt.SignedJWT.parse(fresh).getHeader().getKeyID()).build(),
        legacy.getJWTClaimsSet());
    confused.sign(new com.nimbusds.jose.crypto.ECDSASigner(old));
    assertThat(restarted.verify(confused.serialize())).isEmpty();
  }
}
