package org.epiloop.certificates;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.epiloop.shared.Secrets;
import org.springframework.stereotype.Component;

/**
 * The key that signs certificate tokens. Unlike the health-code keys (kept in the database,
 * rotated), it is derived from the configured secret {@code epiloop.secrets.certificate}
 * ({@code EPILOOP_SECRETS_CERTIFICATE}; generated into the secrets file for the demo): a
 * certificate lives for months, so its key must be the same in every copy and survive a new
 * database, and it is configured like the other keys. The secret is hashed with a label into the
 * 32-byte Ed25519 seed, so the configured value is never itself a signing key of anything else.
 */
@Component
class CertificateKeys {

  static final String ISSUER = "epiloop-certificate";
  /** The token's {@code pur} claim: a health-code key or token can never pass as a certificate's. */
  static final String PURPOSE = "RESULT_CERTIFICATE";

  private final OctetKeyPair key;

  CertificateKeys(Secrets secrets) {
    byte[] seed = sha256("epiloop result certificate signing key v1", secrets.key("certificate"));
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(seed, 0);
    try {
      OctetKeyPair unnamed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(priv.generatePublicKey().getEncoded()))
          .d(Base64URL.encode(seed)).build();
      // its own key id: "cert-" and the RFC 7638 thumbprint, so no key id of the health codes can match it
      this.key = new OctetKeyPair.Builder(unnamed).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA)
          .keyID("cert-" + unnamed.computeThumbprint()).build();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot compute the certificate key's thumbprint", e);
    }
  }

  OctetKeyPair key() {
    return key;
  }

  /** The public key as a JWKS document. */
  Map<String, Object> jwks() {
    return new JWKSet(key.toPublicJWK()).toJSONObject(true);
  }

  private static byte[] sha256(String label, byte[] secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(label.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(secret);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
