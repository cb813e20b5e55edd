package org.lodge.provisioning.jail;

import org.lodge.provisioning.unit.ServiceProbe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.FailureInjection;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestNetworkCleanup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The main job for real: disk size + domain + IPv4 in, a running LXC jail serving the domain
 * over HTTP and FTP out, then every lifecycle action, then nothing left behind.
 */
@LiveNodeTest
class JailLifecycleTest {

    private static final String LOG_LINE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (INFO|WARN|ERROR) \\[[a-z0-9-]+\\] .+";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;

    private Api staff() {
        return new Api(rest, "admin", "admin-password-for-tests");
    }


    @Test
    void provisionsATestedJailAndRunsItsWholeLifecycle() throws Exception {
        Api api = staff();
        String tenant = api.newTenant("acme");
        String domain = "shop-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String jobId = api.createJail(tenant, "64M", domain, "10.231.77.21");
        JsonNode job = api.awaitOk(jobId);
        String log = api.log(jobId);
        assertThat(log.lines().filter(l -> !l.startsWith("exit status"))).allMatch(l -> l.matches(LOG_LINE));
        assertThat(log).contains("[test-http]").contains("[test-ftp]").contains("exit status: OK");

        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        String user = credentials.path("username").asText();
        String password = credentials.path("password").asText();
        assertThat(password).hasSize(20);
        assertThat(api.post("/api/jobs/" + jobId + "/credentials", null).getStatusCode().value())
                .as("the password is shown once").isEqualTo(410);
        assertThat(log).doesNotContain(password);
        assertThat(jdbc.sql("select count(*) from job_secret where job_id = cast(:id as uuid)").param("id", jobId)
                .query(Long.class).single()).isZero();

        String jailId = job.path("unitId").asText();
        JsonNode jail = api.json(api.get("/api/units/" + jailId));
        assertThat(jail.path("state").asText()).isEqualTo("RUNNING");
        assertThat(jail.path("diskUsedBytes").asLong()).as("disk use is known at once").isPositive();
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", jailId)
                .query(String.class).single();
        Path image = Path.of(TestNetworkCleanup.TEST_STORAGE, libvirtName + ".img");
        assertThat(Files.size(image)).as("the image is exactly the requested size").isEqualTo(64L << 20);
        assertIsolated(libvirtName);
        Connect lxc = new Connect("lxc:///system", true);
        try {
            // The libvirt domain carries the unit's id, as VMs do: a revived job can define it again.
            Domain defined = lxc.domainLookupByName(libvirtName);
            assertThat(defined.getUUIDString()).isEqualTo(jailId);
            // Its MAC holds the libvirt name's bytes (a unique key): no two units share one on the bridge.
            assertThat(XmlQuery.of(defined.getXMLDesc(0)).attribute("address", "devices", "interface", "mac"))
                    .isEqualTo(UnitEntity.macOf(UUID.fromString(jailId)))
                    .isEqualTo("52:" + libvirtName.substring("lodge-".length()).replaceAll("(..)(?!$)", "$1:") + ":"
                            + jailId.substring(9, 11));
        } finally {
            lxc.close();
        }

        // The customer's own FTPS session: upload, list, fetch over HTTP, and no way out of the web root.
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), java.time.Duration.ofSeconds(10));
        ftp.connect("10.231.77.21", 21);
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        assertThat(ftp.storeFile("hello.html", new ByteArrayInputStream("<p>hello</p>".getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(ftp.listNames()).contains("hello.html", "index.html");
        ftp.changeWorkingDirectory("/../..");
        assertThat(ftp.listNames()).contains("index.html").doesNotContain("etc", "bin");
        assertThat(ftp.retrieveFile("/etc/shadow", new ByteArrayOutputStream())).isFalse();
        ftp.logout();
        ftp.disconnect();
        assertThat(probe.get("10.231.77.21", domain, "/hello.html").body()).isEqualTo("<p>hello</p>");
        assertThat(probe.get("10.231.77.21", domain, "/").body()).contains(domain);

        assertThat(api.json(api.get("/api/jobs/" + api.act(jailId, "stop")))).isNotNull();
        String stop = lastJob(api, jailId);
        api.awaitOk(stop);
        assertThat(api.json(api.get("/api/units/" + jailId)).path("state").asText()).isEqualTo("STOPPED");
        // The jail's init handles the shutdown signal: no wait for the grace period, no hard stop.
        assertThat(api.log(stop)).contains("stopped cleanly in").doesNotContain("stopping hard");

        api.awaitOk(api.act(jailId, "check-filesystem"));
        String grow = api.json(api.post("/api/units/" + jailId + "/grow", Map.of("diskSize", "96M"))).path("id").asText();
        api.awaitOk(grow);
        assertThat(Files.size(image)).isEqualTo(96L << 20);
        assertThat(api.log(grow)).contains("[e2fsck-repair]").contains("[resize2fs]");
        assertThat(probe.get("10.231.77.21", domain, "/hello.html").body()).as("data survives the growth")
                .isEqualTo("<p>hello</p>");
        api.awaitOk(api.act(jailId, "restart"));
        api.awaitOk(api.act(jailId, "delete"));

        assertThat(api.get("/api/units/" + jailId).getStatusCode().value()).isEqualTo(404);
        assertNothingLeft(libvirtName, "10.231.77.21");
    }

    @Test
    void aFailureHalfwayIsCompensatedAndLeavesNothing() throws Exception {
        Api api = staff();
        String tenant = api.newTenant("acme");
        String jobId = api.createJail(tenant, "64M", FailureInjection.PREFIX + UUID.randomUUID().toString().substring(0, 6)
                + ".example.com", "10.231.77.22");
        JsonNode job = api.awaitEnd(jobId, java.time.Duration.ofSeconds(90));
        assertThat(job.path("state").asText()).isEqualTo("KO");
        assertThat(job.path("lastError").asText()).contains("injected-failure");
        String log = api.log(jobId);
        assertThat(log).contains("compensated").contains("exit status: KO").contains("image deleted")
                .contains("domain undefined").contains("domain and address released");
        assertThat(api.post("/api/jobs/" + jobId + "/credentials", null).getStatusCode().value()).isEqualTo(410);
        String libvirtName = "lodge-" + job.path("unitId").asText().substring(0, 8);
        assertNothingLeft(libvirtName, "10.231.77.22");
        assertThat(jdbc.sql("select count(*) from job_secret where job_id = cast(:id as uuid)").param("id", jobId)
                .query(Long.class).single()).as("no password kept for a failed job").isZero();
    }

    @Test
    void reusesAFreedAddressAtOnce() throws Exception {
        Api api = staff();
        String tenant = api.newTenant("acme");
        for (int round = 0; round < 2; round++) {
            // The second round also proves an IDN domain end to end.
            String jobId = api.createJail(tenant, "64M", (round == 0 ? "again-" : "bücher-")
                    + UUID.randomUUID().toString().substring(0, 6) + ".example.com", "10.231.77.28");
            String jailId = api.awaitOk(jobId).path("unitId").asText();
            api.awaitOk(api.act(jailId, "delete"));
            assertThat(jdbc.sql("select count(*) from job_secret where job_id = cast(:id as uuid)").param("id", jobId)
                    .query(Long.class).single()).as("no password kept for a deleted jail").isZero();
        }
    }

    @Test
    void refusesBadInputBeforeAnyJobExists() {
        Api api = staff();
        String tenant = api.newTenant("acme");
        long jobs = jdbc.sql("select count(*) from provisioning_job").query(Long.class).single();
        var response = api.post("/api/units", Map.of("tenant", tenant, "diskSize", "64M", "domain", "bad;rm -rf /.example.com",
                "ipv4", "10.231.77.5"));
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        JsonNode problem = api.json(response);
        assertThat(problem.path("errors").path("domain").asText()).isNotBlank();
        assertThat(problem.path("errors").path("ipv4").asText()).contains("outside its pool");
        assertThat(jdbc.sql("select count(*) from provisioning_job").query(Long.class).single()).isEqualTo(jobs);
    }

    private String lastJob(Api api, String jailId) {
        return api.json(api.get("/api/jobs?unit=" + jailId)).get(0).path("id").asText();
    }

    /** The jail has its own network, PID, mount, UTS and user namespaces and a memory limit. */
    private static void assertIsolated(String libvirtName) throws Exception {
        Connect conn = new Connect("lxc:///system", true);
        try {
            Domain domain = conn.domainLookupByName(libvirtName);
            long pid = JailHost.initPid(domain).orElseThrow();
            for (String ns : new String[] {"net", "pid", "mnt", "uts", "user"}) {
                assertThat(Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "ns", ns)))
                        .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns", ns)));
            }
            assertThat(domain.getXMLDesc(0)).contains("<memory unit='KiB'>65536</memory>");
            // Root in the jail is an unprivileged range of host uids, and the jail's files belong to it.
            String[] map = Files.readString(Path.of("/proc", String.valueOf(pid), "uid_map")).trim().split("\\s+");
            long base = Long.parseLong(map[1]);
            assertThat(map[0]).isEqualTo("0");
            assertThat(base).isGreaterThanOrEqualTo(100000);
            assertThat(map[2]).isEqualTo("65536");
            assertThat(Files.getAttribute(Path.of("/proc", String.valueOf(pid), "root", "etc", "passwd"), "unix:uid"))
                    .isEqualTo((int) base);
            // The template's binaries are shared read-only, not copied into the image.
            assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(pid), "mountinfo")))
                    .anyMatch(line -> line.split(" ")[4].equals("/usr") && line.split(" ")[5].startsWith("ro"));
        } finally {
            conn.close();
        }
    }

    private void assertNothingLeft(String libvirtName, String ip) throws Exception {
        Connect conn = new Connect("lxc:///system", true);
        try {
            assertThat(conn.listDefinedDomains()).doesNotContain(libvirtName);
            for (int id : conn.listDomains()) {
                assertThat(conn.domainLookupByID(id).getName()).isNotEqualTo(libvirtName);
            }
        } finally {
            conn.close();
        }
        assertThat(Path.of(TestNetworkCleanup.TEST_STORAGE, libvirtName + ".img")).doesNotExist();
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)").param("a", ip)
                .query(Long.class).single()).isZero();
        // The next unit on this address has another MAC: the node must not keep the old one.
        Process neighbours = new ProcessBuilder("/bin/ip", "neigh", "show", "to", ip).redirectErrorStream(true).start();
        assertThat(new String(neighbours.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .as("the node's ARP entry for the released address").doesNotContain("lladdr");
    }
}
