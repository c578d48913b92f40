package org.epiloop.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small PKI made at test time with BouncyCastle (nothing secret is kept in the repository): a
 * CA, a server certificate for {@code localhost} and a client certificate, each written as a
 * PKCS#12 file as an operator would hand them to Epiloop and to the province.
 *
 * @param caTrustStore the CA's certificate alone (a trust store for both sides)
 * @param serverKeyStore the server's key and chain
 * @param clientKeyStore the client's key and chain
 * @param password the password of all three files
 */
public record TestPki(Path caTrustStore, Path serverKeyStore, Path clientKeyStore, String password) {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A fresh CA with one server ({@code CN=localhost}) and one client ({@code clientName}) certificate under {@code dir}. */
  public static TestPki create(Path dir, String clientName) {
    try {
      String password = "pki-" + SERIAL.incrementAndGet();
      KeyPair ca = keys();
      X500Name caName = new X500Name("CN=Epiloop test province CA");
      X509Certificate caCert = sign(caName, ca, caName, ca.getPublic(), true, null, null);
      KeyPair server = keys();
      X509Certificate serverCert = sign(caName, ca, new X500Name("CN=localhost"), server.getPublic(), false, KeyPurposeId.id_kp_serverAuth,
          new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      KeyPair client = keys();
      X509Certificate clientCert = sign(caName, ca, new X500Name("CN=" + clientName), client.getPublic(), false,
          KeyPurposeId.id_kp_clientAuth, null);

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCert);
      KeyStore serverStore = KeyStore.getInstance("PKCS12");
      serverStore.load(null, null);
      serverStore.setKeyEntry("server", server.getPrivate(), password.toCharArray(), new Certificate[] {serverCert, caCert});
      KeyStore clientStore = KeyStore.getInstance("PKCS12");
      clientStore.load(null, null);
      clientStore.setKeyEntry("client", client.getPrivate(), password.toCharArray(), new Certificate[] {clientCert, caCert});
      return new TestPki(write(dir.resolve("ca-trust.p12"), trust, password), write(dir.resolve("server.p12"), serverStore, password),
          write(dir.resolve("client.p12"), clientStore, password), password);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject, java.security.PublicKey key, boolean ca,
      KeyPurposeId purpose, GeneralNames altNames) throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
    b.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
        : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    if (purpose != null) {
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (altNames != null) {
      b.addExtension(Extension.subjectAlternativeName, false, altNames);
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static Path write(Path file, KeyStore store, String password) throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
