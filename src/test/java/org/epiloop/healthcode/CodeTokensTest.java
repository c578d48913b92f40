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

  @Test
  void anotherCopyOfTheServerVerifiesTheTokenByItsPublicKey() {
    UUID person = UUID.randomUUID();
    CodeTokens.Issued issued = tokens.issue(person, HealthColor.YELLOW, "张*");
    CodeTokens otherCopy = new CodeTokens(jdbc, crypto, clock, Duration.ofMinutes(3));

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
}
