package org.lodge.provisioning.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.NodeTlsProperties;

/**
 * Unit certificates from a CA made by openssl exactly as setup-host.sh makes the node CA, and from
 * an operator's intermediate CA: each unit gets its own key, its certificate names its domain and
 * address and chains to the CA.
 */
class UnitCertificatesTest {

    private static final String DOMAIN = "www.xn--bcher-kva.example";

    @TempDir
    Path dir;

    @Test
    void issuesEachUnitItsOwnKeyAndACertificateForItsDomainSignedByTheNodeCa() throws Exception {
        nodeCa("ca");
        UnitCertificates certificates = certificates("ca");
        UnitCertificates.UnitCertificate issued = certificates.issue(DOMAIN, "10.231.0.20");
        X509Certificate ca = certificates.authority();

        List<X509Certificate> chain = certificatesIn(issued.pem());
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf).isEqualTo(issued.certificate());
        assertThat(chain.get(1)).isEqualTo(ca);
        leaf.verify(ca.getPublicKey());
        validates(chain, ca);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + DOMAIN);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, DOMAIN), List.of(7, "10.231.0.20"));
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getNotAfter()).isBeforeOrEqualTo(ca.getNotAfter());

        // The key in the file is the certificate's, and the CA's key is not in it.
        PrivateKey key = privateKeyIn(issued.pem());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
        String caKeyBody = Files.readString(dir.resolve("ca.key")).replaceAll("-----[A-Z ]+-----|\\s", "");
        assertThat(issued.pem().replaceAll("\\s", "")).doesNotContain(caKeyBody);

        UnitCertificates.UnitCertificate other = certificates.issue("other.example", "10.231.0.21");
        assertThat(other.certificate().getPublicKey()).as("a key per unit").isNotEqualTo(leaf.getPublicKey());
        assertThat(other.certificate().getSerialNumber()).isNotEqualTo(leaf.getSerialNumber());
    }

    @Test
    void anOperatorsIntermediateCaSignsAndItsChainIsSentAlong() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30", "-subj", "/CN=Operator root",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", dir.resolve("root.key").toString(), "-out", dir.resolve("root.crt").toString());
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "20", "-subj", "/CN=Operator FTPS CA",
                "-CA", dir.resolve("root.crt").toString(), "-CAkey", dir.resolve("root.key").toString(),
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", dir.resolve("operator.key").toString(), "-out", dir.resolve("operator.crt").toString());
        Files.writeString(dir.resolve("operator.crt"), Files.readString(dir.resolve("operator.crt"))
                + Files.readString(dir.resolve("root.crt")));
        UnitCertificates.UnitCertificate issued = certificates("operator").issue("shop.example", "10.231.0.30");
        List<X509Certificate> chain = certificatesIn(issued.pem());
        assertThat(chain).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=shop.example", "CN=Operator FTPS CA", "CN=Operator root");
        validates(chain.subList(0, 2), chain.get(2));
        assertThat(issued.certificate().getNotAfter()).as("capped by the CA's own validity")
                .isBeforeOrEqualTo(chain.get(1).getNotAfter());
    }

    @Test
    void refusesACaKeyThatIsNotTheCertificates() throws Exception {
        nodeCa("ca");
        nodeCa("stranger");
        Files.copy(dir.resolve("stranger.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> certificates("ca").issue("shop.example", "10.231.0.30"))
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void saysHowToCreateAMissingNodeCa() {
        assertThatThrownBy(() -> certificates("absent").issue("shop.example", "10.231.0.30"))
                .hasMessageContaining("absent.crt does not exist").hasMessageContaining("setup-host.sh");
    }

    /** The node CA, made with the same openssl command as provisioning/host/setup-host.sh. */
    private void nodeCa(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-sha256",
                "-days", "7300", "-subj", "/O=Lodge/CN=Lodge node CA test",
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString());
    }

    private UnitCertificates certificates(String name) {
        return new UnitCertificates(new NodeTlsProperties(dir.resolve(name + ".crt").toString(),
                dir.resolve(name + ".key").toString(), Duration.ofDays(3650)));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** The certificates of a PEM file that also holds a key, in order, as pure-ftpd reads them. */
    private static List<X509Certificate> certificatesIn(String pem) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    private static PrivateKey privateKeyIn(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    private static void validates(List<X509Certificate> path, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(path.stream().filter(c -> !c.equals(anchor)).toList()), parameters);
    }
}
