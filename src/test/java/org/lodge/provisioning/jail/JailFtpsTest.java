package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLHandshakeException;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A jail's FTP as a customer's client meets it: clear text is refused before any password is
 * sent, explicit TLS with the job's credentials works, and the certificate is the jail's own,
 * naming its domain and signed by the node CA.
 */
@LiveNodeTest
class JailFtpsTest {

    private static final String IP = "10.231.77.41";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitCertificates certificates;

    @Test
    void refusesAPlainTextLoginAndAcceptsExplicitTlsWithACertificateFromTheNodeCa() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = "ftps-" + UUID.randomUUID().toString().substring(0, 6);
        api.post("/api/tenants", Map.of("name", tenant));
        String domain = "files-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String jobId = api.createJail(tenant, "64M", domain, IP);
        String jailId = api.awaitOk(jobId).path("unitId").asText();
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        String user = credentials.path("username").asText();
        String password = credentials.path("password").asText();
        String log = api.log(jobId);
        assertThat(log).containsPattern("\\[test-ftp\\] FTP over explicit TLS \\(TLSv1\\.[23], TLS_[A-Z0-9_]+\\), certificate for "
                + domain.replace(".", "\\.") + " signed by the node CA").doesNotContain(password);

        // Clear text: the server refuses the user name, so the password is never sent.
        FTPClient plain = new FTPClient();
        plain.connect(IP, 21);
        assertThatThrownBy(() -> plain.login(user, password)).isInstanceOf(FTPConnectionClosedException.class);
        assertThat(plain.getReplyString()).contains("cleartext sessions").contains("are not accepted");
        plain.disconnect();

        // A client that trusts another authority refuses the server: the trust is really checked.
        FtpsClient stranger = FtpsClient.trusting(certificates.issue("elsewhere.example", "10.0.0.1").certificate(),
                Duration.ofSeconds(10));
        assertThatThrownBy(() -> stranger.connect(IP, 21)).isInstanceOf(SSLHandshakeException.class);
        stranger.disconnect();

        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(IP, 21);
        X509Certificate served = ftp.requireCertificateFor(domain);
        served.verify(certificates.authority().getPublicKey());
        assertThat(served.getIssuerX500Principal()).isEqualTo(certificates.authority().getSubjectX500Principal());
        assertThat(ftp.describeTls()).startsWith("TLSv1.");
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        assertThat(ftp.storeFile("secret.txt", new ByteArrayInputStream("private\n".getBytes(StandardCharsets.UTF_8))))
                .as("upload over an encrypted data connection").isTrue();
        assertThat(ftp.listNames()).contains("secret.txt");
        ftp.logout();
        ftp.disconnect();

        assertTheKeyBelongsToTheJailsRootOnly(jailId);
        api.awaitOk(api.act(jailId, "delete"));
    }

    /** The jail's key sits in its own /etc, mode 0600, owned by the jail's root (its uid base on the host). */
    private void assertTheKeyBelongsToTheJailsRootOnly(String jailId) throws Exception {
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", jailId)
                .query(String.class).single();
        Connect conn = new Connect("lxc:///system", true);
        try {
            long pid = JailHost.initPid(conn.domainLookupByName(libvirtName)).orElseThrow();
            Path pem = Path.of("/proc", String.valueOf(pid), "root", "etc", "ssl", "private", "pure-ftpd.pem");
            long uidBase = Long.parseLong(Files.readString(Path.of("/proc", String.valueOf(pid), "uid_map")).trim()
                    .split("\\s+")[1]);
            assertThat(Files.getAttribute(pem, "unix:uid")).isEqualTo((int) uidBase);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem))).isEqualTo("rw-------");
        } finally {
            conn.close();
        }
    }
}
