package org.epiloop.certificates;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.healthcode.Ed25519Jws;
import org.springframework.stereotype.Component;

/**
 * Certificate tokens: a compact JWS (EdDSA over Ed25519, like the health code) whose claims say
 * what the certificate certifies — small enough for a QR code a phone reads off paper. Claims:
 * {@code iss} {@value CertificateKeys#ISSUER}, {@code pur} {@value CertificateKeys#PURPOSE},
 * {@code sub} the result's id, {@code res} its value when certified, {@code nm} the masked name,
 * {@code smp} the sampling time and {@code lab} the lab, {@code iat}. No expiry: how old a
 * result may be is the reader's rule (a venue's, a city's); the page shows the sampling time.
 */
@Component
class CertificateTokens {

  /** What a genuine token certifies. */
  record Claims(UUID resultId, String result, String nameMasked, Instant sampledAt, String labCode, Instant issuedAt) {}

  private final CertificateKeys keys;
  private final JWSSigner signer;
  private final JWSVerifier verifier;

  CertificateTokens(CertificateKeys keys) {
    this.keys = keys;
    this.signer = new Ed25519Jws.Signer(keys.key());
    this.verifier = new Ed25519Jws.Verifier(keys.key().toPublicJWK());
  }

  String sign(Claims c) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(CertificateKeys.ISSUER).claim("pur", CertificateKeys.PURPOSE)
        .subject(c.resultId().toString()).claim("res", c.result()).claim("nm", c.nameMasked())
        .claim("smp", c.sampledAt().getEpochSecond()).claim("lab", c.labCode()).issueTime(Date.from(c.issuedAt())).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(keys.key().getKeyID()).type(JOSEObjectType.JWT).build(),
        claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a certificate token", e);
    }
    return jwt.serialize();
  }

  /**
   * The claims of a token signed with the certificate key, of the right issuer and purpose; empty
   * for anything else (a health-code token, an edited or forged one, garbage).
   */
  Optional<Claims> verify(String token) {
    if (token == null || token.isBlank() || token.length() > 2048) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token.strip());
      if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm()) || !keys.key().getKeyID().equals(jwt.getHeader().getKeyID())
          || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Object smp = c.getClaim("smp");
      if (!CertificateKeys.ISSUER.equals(c.getIssuer()) || !CertificateKeys.PURPOSE.equals(c.getStringClaim("pur"))
          || c.getSubject() == null || c.getStringClaim("res") == null || !(smp instanceof Number) || c.getIssueTime() == null) {
        return Optional.empty();
      }
      return Optional.of(new Claims(UUID.fromString(c.getSubject()), c.getStringClaim("res"), c.getStringClaim("nm"),
          Instant.ofEpochSecond(((Number) smp).longValue()), c.getStringClaim("lab"), c.getIssueTime().toInstant()));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
