package org.epiloop.healthcode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies a health-code token with nothing but the published keys (JWKS): what a checkpoint
 * without network does. It checks the algorithm, the key id, the signature, the issuer and the
 * expiry; it cannot know the current colour, only the colour the token was signed with.
 *
 * <p>Command line: {@code java -cp epiloop.jar -Dloader.main=org.epiloop.healthcode.OfflineVerifier
 * org.springframework.boot.loader.launch.PropertiesLauncher keys.json TOKEN} prints the colour
 * and masked name, or {@code INVALID}, and exits 0 or 1.
 */
public final class OfflineVerifier {

  private OfflineVerifier() {}

  /** The token's claims when it is genuine and unexpired at {@code now}. */
  public static Optional<JWTClaimsSet> verify(Map<String, Object> jwks, String token, Instant now) {
    JWKSet keys;
    try {
      keys = JWKSet.parse(jwks);
    } catch (ParseException e) {
      return Optional.empty();
    }
    return verify(kid -> verifierFor(keys.getKeyByKeyId(kid)), token, now);
  }

  /**
   * The token's claims when it is genuine and unexpired at {@code now}; {@code verifiers} gives
   * the verifier of a key id, or null for a key it does not know.
   */
  static Optional<JWTClaimsSet> verify(Function<String, JWSVerifier> verifiers, String token, Instant now) {
    if (token == null || token.isBlank() || token.length() > 4096) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token.strip());
      JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
      if (!(JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.ES256.equals(alg)) || jwt.getHeader().getKeyID() == null) {
        return Optional.empty();
      }
      JWSVerifier verifier = verifiers.apply(jwt.getHeader().getKeyID());
      if (verifier == null || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!CodeTokens.ISSUER.equals(claims.getIssuer()) || claims.getExpirationTime() == null
          || !claims.getExpirationTime().toInstant().isAfter(now) || claims.getSubject() == null) {
        return Optional.empty();
      }
      return Optional.of(claims);
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The verifier of a published key: EdDSA for an Ed25519 (OKP) key, ES256 for a P-256 key (tokens
   * of earlier versions); null for a missing key or one of another kind. A verifier accepts only
   * its own algorithm, so a token cannot pass by naming another one in its header.
   */
  static JWSVerifier verifierFor(JWK key) {
    try {
      if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return new Ed25519Jws.Verifier(okp);
      }
      return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) ? new ECDSAVerifier(ec.toECPublicKey()) : null;
    } catch (JOSEException | IllegalArgumentException e) {
      return null;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: OfflineVerifier <jwks.json> <token>");
      System.exit(2);
    }
    Map<String, Object> jwks = JWKSet.parse(Files.readString(Path.of(args[0]))).toJSONObject(true);
    Optional<JWTClaimsSet> claims = verify(jwks, args[1], Instant.now());
    if (claims.isEmpty()) {
      System.out.println("INVALID");
      System.exit(1);
    }
    System.out.println(claims.get().getStringClaim("col") + " " + claims.get().getStringClaim("nm") + " until "
        + claims.get().getExpirationTime().toInstant());
  }
}
