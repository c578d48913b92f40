package org.epiloop.healthcode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;

/**
 * Health-code tokens a forger could make from a genuine one: signed with another Ed25519 key under
 * the real key id, the payload edited after signing, or the header naming another algorithm.
 */
final class Forgeries {

  private Forgeries() {}

  /** The same claims, signed EdDSA with a key of the forger's own that claims the real key id. */
  static String signedWithAnotherKey(String genuine) {
    try {
      SignedJWT jwt = SignedJWT.parse(genuine);
      return signedWithAnotherKey(jwt.getHeader().getKeyID(), jwt.getJWTClaimsSet());
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** These claims, signed EdDSA with a fresh key under the given key id. */
  static String signedWithAnotherKey(String kid, JWTClaimsSet claims) {
    OctetKeyPair mine = Ed25519Jws.generate();
    try {
      OctetKeyPair underRealKid = new OctetKeyPair.Builder(mine).keyID(kid).build();
      SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      forged.sign(new Ed25519Jws.Signer(underRealKid));
      return forged.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The genuine token with one text replaced in its payload; its signature left as it was. */
  static String payloadEdited(String genuine, String from, String to) {
    String[] parts = genuine.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    if (!payload.contains(from)) {
      throw new IllegalArgumentException("the payload has no " + from + ": " + payload);
    }
    return parts[0] + "." + b64(payload.replace(from, to)) + "." + parts[2];
  }

  /** The genuine token with a header naming another algorithm (and the real key id); payload and signature as they were. */
  static String headerAlgorithm(String genuine, String alg) {
    try {
      String kid = SignedJWT.parse(genuine).getHeader().getKeyID();
      String[] parts = genuine.split("\\.");
      return b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
    } catch (ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
