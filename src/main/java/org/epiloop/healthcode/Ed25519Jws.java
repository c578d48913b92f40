package org.epiloop.healthcode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSProvider;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.SecureRandom;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * EdDSA over Ed25519 (RFC 8037) for Nimbus JOSE, computed by BouncyCastle. Nimbus's own Ed25519
 * classes need Google Tink; the JDK's Ed25519 and ES256 sign about 1,500–2,000 tokens a second per
 * core here, BouncyCastle's Ed25519 about 25,000 (ADR 0009). The tokens are standard: any JOSE
 * library (or the JDK's {@code Signature "Ed25519"}) verifies them with the published OKP key.
 * Public: result certificates (ADR 0025) sign with it too, under their own key and issuer.
 */
public final class Ed25519Jws {

  private Ed25519Jws() {}

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA);

  /** A new Ed25519 key pair as a JWK, its key id the RFC 7638 thumbprint. */
  public static OctetKeyPair generate() {
    return of(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** The Ed25519 key pair of a 32-byte private key (RFC 8032 seed), e.g. one configured for every copy. */
  static OctetKeyPair fromSeed(byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 private key has " + Ed25519PrivateKeyParameters.KEY_SIZE + " bytes, not " + seed.length);
    }
    return of(new Ed25519PrivateKeyParameters(seed, 0));
  }

  private static OctetKeyPair of(Ed25519PrivateKeyParameters priv) {
    try {
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(priv.generatePublicKey().getEncoded()))
          .d(Base64URL.encode(priv.getEncoded())).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA)
          .keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot compute a key thumbprint", e);
    }
  }

  private static boolean isEd25519(OctetKeyPair key) {
    return Curve.Ed25519.equals(key.getCurve()) && key.getDecodedX().length == Ed25519PublicKeyParameters.KEY_SIZE;
  }

  /** What signer and verifier share: the one algorithm, and a JCA context Nimbus asks for (unused here). */
  private abstract static class Ed25519Provider implements JWSProvider {
    private final JCAContext jca = new JCAContext();

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }

  /** Signs with the private half of an Ed25519 OKP key; safe for concurrent use. */
  public static final class Signer extends Ed25519Provider implements JWSSigner {
    private final Ed25519PrivateKeyParameters key;

    public Signer(OctetKeyPair key) {
      if (!isEd25519(key) || key.getDecodedD() == null) {
        throw new IllegalArgumentException("An Ed25519 private key is needed");
      }
      this.key = new Ed25519PrivateKeyParameters(key.getDecodedD());
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        throw new JOSEException("Only EdDSA is signed by this signer, not " + header.getAlgorithm());
      }
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, key);
      signer.update(signingInput, 0, signingInput.length);
      return Base64URL.encode(signer.generateSignature());
    }
  }

  /** Verifies EdDSA signatures with the public half of an Ed25519 OKP key; safe for concurrent use. */
  public static final class Verifier extends Ed25519Provider implements JWSVerifier {
    private final Ed25519PublicKeyParameters key;

    public Verifier(OctetKeyPair key) {
      if (!isEd25519(key)) {
        throw new IllegalArgumentException("An Ed25519 public key is needed");
      }
      this.key = new Ed25519PublicKeyParameters(key.getDecodedX());
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) {
      byte[] sig = signature.decode();
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) || sig.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
        return false;
      }
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, key);
      verifier.update(signedContent, 0, signedContent.length);
      return verifier.verifySignature(sig);
    }
  }
}
