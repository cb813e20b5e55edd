package org.lodge.provisioning.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.lodge.provisioning.NodeTlsProperties;
import org.springframework.stereotype.Component;

/**
 * Issues each unit its own FTP server certificate, signed by the node CA. A customer is root in
 * their own unit and can read its key: a key per unit means that key impersonates nobody else.
 * The CA files are read at every issue, so an operator's replacement takes effect at once.
 */
@Component
public class UnitCertificates {

    /** Where a unit's pure-ftpd reads its key, certificate and CA chain (one PEM file, mode 0600). */
    public static final String PURE_FTPD_PEM = "/etc/ssl/private/pure-ftpd.pem";

    /** The key, the unit's certificate and the CA chain, as pure-ftpd reads them from one file. */
    public record UnitCertificate(String pem, X509Certificate certificate) {
    }

    private final NodeTlsProperties tls;
    private final SecureRandom random = new SecureRandom();

    public UnitCertificates(NodeTlsProperties tls) {
        this.tls = tls;
    }

    /** A fresh P-256 key and a server certificate naming {@code domain} (an A-label) and {@code ipv4}. */
    public UnitCertificate issue(String domain, String ipv4) {
        List<X509Certificate> chain = authorityChain();
        X509Certificate ca = chain.get(0);
        PrivateKey caKey = authorityKey();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(tls.certificateValidity());
            if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
                notAfter = ca.getNotAfter().toInstant();
            }
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(now.minusSeconds(300)), Date.from(notAfter), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, domain), new GeneralName(GeneralName.iPAddress, ipv4)}))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm(caKey)).build(caKey)));
            try {
                certificate.verify(ca.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the node CA key " + tls.caKey() + " does not belong to the certificate "
                        + tls.caCertificate(), e);
            }
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                // PKCS#8 ("PRIVATE KEY"), as openssl writes keys today.
                writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
                writer.writeObject(certificate);
                for (X509Certificate issuer : chain) {
                    writer.writeObject(issuer);
                }
            }
            return new UnitCertificate(pem.toString(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("issuing the FTPS certificate of " + domain + " failed: " + e.getMessage(), e);
        }
    }

    /** The certificate that signs the units' certificates: what FTPS clients of this node trust. */
    public X509Certificate authority() {
        return authorityChain().get(0);
    }

    private List<X509Certificate> authorityChain() {
        try (InputStream in = Files.newInputStream(Path.of(tls.caCertificate()))) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty() || chain.get(0).getBasicConstraints() < 0) {
                throw new IllegalStateException("the node CA certificate " + tls.caCertificate()
                        + " does not start with a CA certificate");
            }
            chain.get(0).checkValidity();
            return chain;
        } catch (NoSuchFileException e) {
            throw missing(tls.caCertificate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the node CA certificate " + tls.caCertificate() + ": "
                    + e.getMessage(), e);
        }
    }

    private PrivateKey authorityKey() {
        try (Reader reader = Files.newBufferedReader(Path.of(tls.caKey())); PEMParser parser = new PEMParser(reader)) {
            Object key = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (key instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (key instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalStateException("the node CA key " + tls.caKey()
                    + " is not an unencrypted PEM private key");
        } catch (NoSuchFileException e) {
            throw missing(tls.caKey());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the node CA key " + tls.caKey() + ": " + e.getMessage(), e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519" -> "Ed25519";
            default -> throw new IllegalStateException("the node CA key is " + key.getAlgorithm()
                    + ": use an EC, RSA or Ed25519 key");
        };
    }

    private static IllegalStateException missing(String file) {
        return new IllegalStateException(file + " does not exist: run provisioning/host/setup-host.sh (it creates"
                + " the node CA) or set lodge.node.tls.*");
    }
}
