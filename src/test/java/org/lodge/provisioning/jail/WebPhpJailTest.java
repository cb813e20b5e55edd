package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.jail.step.TestPhp;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A jail made from the Debian web-php template (nginx + PHP-FPM): the job proves PHP with a
 * nonce, the test proves it again with its own, uploads a PHP page over FTPS into the web root
 * and gets it run by PHP as the FTP account; every process of the jail is unprivileged on the
 * host; the unit records the template and version the node's catalogue reports.
 */
@LiveNodeTest
class WebPhpJailTest {

    private static final String IP = "10.231.77.71";
    private static final Path TEMPLATES = Path.of("/var/lib/lodge/templates");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    ServiceProbe probe;
    @Autowired
    NodeProperties node;

    @Test
    void runsPhpFromTheFtpWebRootAsAnUnprivilegedUser() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = "php-" + UUID.randomUUID().toString().substring(0, 6);
        api.post("/api/tenants", Map.of("name", tenant));
        String domain = "php-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        Properties described = described("web-php");

        JsonNode offered = api.json(api.get("/api/nodes/" + node.name() + "/templates?kind=JAIL"));
        assertThat(offered.findValuesAsText("name")).contains("busybox", "web-php");
        assertThat(offered.get(0).path("name").asText()).as("the node's default comes first").isEqualTo("busybox");

        var response = api.post("/api/units", Map.of("tenant", tenant, "diskSize", "128M", "domain", domain,
                "ipv4", IP, "template", "web-php"));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        String jobId = api.json(response).path("id").asText();
        String jailId = api.awaitOk(jobId).path("unitId").asText();
        String log = api.log(jobId);
        // The step timings, for docs/jail-templates.md.
        org.slf4j.LoggerFactory.getLogger(WebPhpJailTest.class).info("web-php jail created:\n{}", log);
        assertThat(log).contains("from template web-php " + described.getProperty("version"))
                .contains("with index.php")
                .containsPattern("\\[test-php\\] GET http://" + IP.replace(".", "\\.")
                        + "/index\\.php with a fresh nonce → 200, PHP 8\\.2\\.[0-9]+\\S* computed its SHA-256 correctly")
                .contains("[test-ftp]");

        Map<String, Object> unit = jdbc.sql("select template, template_version, memory_mib, libvirt_name from unit"
                + " where id = cast(:id as uuid)").param("id", jailId).query().singleRow();
        assertThat(unit).containsEntry("template", "web-php")
                .containsEntry("template_version", described.getProperty("version"))
                .containsEntry("memory_mib", 128);
        String hash = jdbc.sql("select content_hash from unit_template where node_name = :n and name = 'web-php'")
                .param("n", node.name()).query(String.class).single();
        assertThat(hash).isEqualTo(described.getProperty("content-hash")).startsWith("sha256:");

        // Our own nonce: only a PHP that runs computes its hash.
        String nonce = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
        ServiceProbe.Page page = probe.get(IP, domain, "/index.php?lodge-proof=" + nonce);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(domain).contains("lodge-proof " + TestPhp.expected(nonce));
        assertThat(probe.get(IP, domain, "/").body()).as("index.php is the index").contains(domain)
                .doesNotContain("<?php");

        // A page uploaded over FTPS is served from the same web root and run by PHP as the FTP account.
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        int a = new SecureRandom().nextInt(1_000_000);
        int b = new SecureRandom().nextInt(1_000_000);
        String php = "<?php echo 'sum=', array_sum([" + a + ", " + b + "]), ' uid=', posix_geteuid(), \"\\n\";\n";
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(IP, 21);
        assertThat(ftp.loginPrivate(credentials.path("username").asText(), credentials.path("password").asText()))
                .isTrue();
        assertThat(ftp.storeFile("sum.php", new ByteArrayInputStream(php.getBytes(StandardCharsets.UTF_8)))).isTrue();
        ftp.logout();
        ftp.disconnect();
        ServiceProbe.Page sum = probe.get(IP, domain, "/sum.php");
        assertThat(sum.status()).isEqualTo(200);
        assertThat(sum.body()).isEqualTo("sum=" + ((long) a + b) + " uid=1000\n");

        assertEveryProcessIsUnprivileged((String) unit.get("libvirt_name"));
        api.awaitOk(api.act(jailId, "delete"));
    }

    /** nginx, PHP-FPM and pure-ftpd run in the jail's user namespace: none is a host uid below its range. */
    private void assertEveryProcessIsUnprivileged(String libvirtName) throws Exception {
        Connect conn = new Connect("lxc:///system", true);
        try {
            long init = JailHost.initPid(conn.domainLookupByName(libvirtName)).orElseThrow();
            long uidBase = Long.parseLong(Files.readString(Path.of("/proc", String.valueOf(init), "uid_map")).trim()
                    .split("\\s+")[1]);
            assertThat(uidBase).isPositive();
            Map<String, List<Long>> uidsByName = new java.util.HashMap<>();
            for (long pid : descendants(init)) {
                String status;
                try {
                    status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
                } catch (IOException gone) {
                    continue;
                }
                String name = field(status, "Name");
                long uid = Long.parseLong(field(status, "Uid").split("\\s+")[1]);
                assertThat(uid).as(name + " runs as host uid " + uid).isGreaterThanOrEqualTo(uidBase);
                uidsByName.computeIfAbsent(name, k -> new ArrayList<>()).add(uid - uidBase);
            }
            assertThat(uidsByName).containsKeys("nginx", "php-fpm8.2", "pure-ftpd");
            assertThat(uidsByName.get("nginx")).as("master as the jail's root, worker as nobody").contains(0L, 65534L);
        } finally {
            conn.close();
        }
    }

    private static List<Long> descendants(long pid) throws IOException {
        List<Long> all = new ArrayList<>();
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty() && all.size() < 1000) {
            long next = todo.remove(0);
            Path children = Path.of("/proc", String.valueOf(next), "task", String.valueOf(next), "children");
            if (!Files.isReadable(children)) {
                continue;
            }
            for (String child : Files.readString(children).trim().split("\\s+")) {
                if (!child.isEmpty()) {
                    all.add(Long.parseLong(child));
                    todo.add(Long.parseLong(child));
                }
            }
        }
        return all;
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow()
                .substring(name.length() + 1).trim();
    }

    private static Properties described(String template) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(TEMPLATES.resolve(template + ".properties"))) {
            p.load(in);
        }
        return p;
    }
}
