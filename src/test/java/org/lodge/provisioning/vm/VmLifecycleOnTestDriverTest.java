package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.node.NodeRegistration;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.support.Api;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The VM job flow and the whole lifecycle matrix against libvirt's own test driver
 * ({@code test:///default}): every libvirt call is real, no guest runs, so it is fast. The real
 * guest (boot, IPv4, HTTP, FTP) is proven by {@link VmOnQemuTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lodge.roles=portal,worker",
        "lodge.node.name=testdriver",
        "lodge.node.vm.uri=test:///default",
        "lodge.node.vm.storage-dir=" + VmLifecycleOnTestDriverTest.ROOT + "/vms",
        "lodge.node.vm.storage-pool=lodge-testdriver-vms",
        "lodge.node.vm.template-dir=" + VmLifecycleOnTestDriverTest.ROOT + "/templates",
        "lodge.node.vm.template-pool=lodge-testdriver-templates",
        "lodge.node.vm.boot-dir=" + VmLifecycleOnTestDriverTest.ROOT + "/boot",
        "lodge.node.vm.boot-timeout=2s",
        "lodge.node.vm.shutdown-timeout=2s"})
@ActiveProfiles("test")
class VmLifecycleOnTestDriverTest {

    static final String ROOT = "/var/lib/lodge/test-driver";
    private static final String TEMPLATE = "tiny";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    VmHost host;
    @Autowired
    VmDefinitions definitions;
    @Autowired
    UnitRepository units;
    @Autowired
    IpPoolRepository pools;
    @Autowired
    TestData data;
    @Autowired
    NodeRegistration registration;

    /** A template as build-vm-template.sh lays it out: base image in the pool, boot files beside. */
    @BeforeAll
    static void template() throws Exception {
        Path boot = Path.of(ROOT, "boot", TEMPLATE);
        Files.createDirectories(boot);
        Files.createDirectories(Path.of(ROOT, "templates"));
        Files.writeString(boot.resolve("template.properties"), """
                os=Test driver template
                min-disk-bytes=67108864
                memory-mib-min=64
                customisation=cloud-init NoCloud seed
                cmdline=root=/dev/vda console=ttyS0
                """);
        Files.write(boot.resolve("vmlinuz"), new byte[0]);
        Files.write(boot.resolve("initrd.img"), new byte[0]);
        Path base = Path.of(ROOT, "templates", TEMPLATE + ".qcow2");
        if (!Files.exists(base)) {
            new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M").inheritIO().start()
                    .waitFor();
        }
    }

    private Api staff() {
        return new Api(rest, "admin", "admin-password-for-tests");
    }

    private String tenant() {
        return data.tenant("vm").getName();
    }

    private String freeAddress() {
        return jdbc.sql("""
                select host(a) from generate_series(100, 200) n, lateral (select ('10.231.77.' || n)::inet a) x
                 where not exists (select 1 from ip_assignment where address = a) order by n limit 1""")
                .query(String.class).single();
    }

    @Test
    void refusesBadVmInputBeforeAnythingIsCreated() {
        registration.report();
        Api api = staff();
        ResponseEntity<String> response = api.post("/api/units", Map.of("tenant", tenant(), "kind", "VM",
                "diskSize", "32M", "domain", "bad.example.com", "ipv4", freeAddress(), "vcpus", "99", "memory", "16",
                "template", "nope"));
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        JsonNode errors = api.json(response).path("errors");
        assertThat(errors.path("vcpus").asText()).contains("99");
        assertThat(errors.path("memory").asText()).contains("16");
        assertThat(errors.path("template").asText()).contains("offers: " + TEMPLATE);
        response = api.post("/api/units", Map.of("tenant", tenant(), "kind", "VM", "diskSize", "32M",
                "domain", "small.example.com", "ipv4", freeAddress()));
        assertThat(api.json(response).path("errors").path("diskSize").asText()).contains("below what template");
        assertThat(units.findAll()).noneMatch(u -> u.domain().endsWith("bad.example.com") || u.domain().equals("small.example.com"));
    }

    @Test
    void aGuestThatNeverAnswersEndsKoAndLeavesNothing() throws Exception {
        registration.report();
        Api api = staff();
        String ip = freeAddress();
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", tenant(), "kind", "VM",
                "diskSize", "128M", "domain", "silent-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com",
                "ipv4", ip, "vcpus", "1", "memory", "128"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String jobId = api.json(created).path("id").asText();
        String unitId = api.json(created).path("unitId").asText();
        String libvirtName = "lodge-" + unitId.substring(0, 8);
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(60));
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("KO");
        assertThat(log).contains("[clone-disk] linked clone").contains("[write-seed] NoCloud seed")
                .contains("[define-vm] domain " + libvirtName + " defined").contains("[start-vm] domain started")
                .contains("[test-http]").contains("exit status: KO");
        // Compensation, in reverse: powered off, undefined, seed and disk deleted, reservation released.
        assertThat(log).contains("powered off").contains("domain undefined").contains("volume " + libvirtName + "-seed.img deleted")
                .contains("volume " + libvirtName + ".qcow2 deleted").contains("domain and address released");
        assertThat(host.connection().listDefinedDomains()).doesNotContain(libvirtName);
        assertThat(host.pool().listVolumes()).noneMatch(v -> v.startsWith(libvirtName));
        assertThat(api.get("/api/units/" + unitId).getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)").param("a", ip)
                .query(Long.class).single()).isZero();
    }

    @Test
    void runsEveryLifecycleActionThroughLibvirt() throws Exception {
        registration.report();
        UnitEntity vm = runningVm();
        Domain domain = host.domain(vm).orElseThrow();
        Api api = staff();
        String id = vm.id().toString();

        act(api, id, "suspend");
        assertState(api, domain, DomainState.VIR_DOMAIN_PAUSED, id, "PAUSED");
        act(api, id, "resume");
        assertState(api, domain, DomainState.VIR_DOMAIN_RUNNING, id, "RUNNING");

        ok(api, api.post("/api/units/" + id + "/snapshots", Map.of("name", "before")));
        assertThat(domain.snapshotListNames()).contains("before");
        assertThat(api.json(api.get("/api/units/" + id + "/snapshots")).findValuesAsText("name")).containsExactly("before");
        ResponseEntity<String> twice = api.post("/api/units/" + id + "/snapshots", Map.of("name", "before"));
        assertThat(twice.getStatusCode().value()).isEqualTo(400);
        assertThat(api.post("/api/units/" + id + "/snapshots", Map.of("name", "../x")).getStatusCode().value())
                .isEqualTo(400);

        assertThat(api.json(api.post("/api/units/" + id + "/clone", Map.of("domain", "c.example.com", "ipv4",
                freeAddress()))).path("detail").asText()).contains("stop it before cloning");

        act(api, id, "power-off");
        assertState(api, domain, DomainState.VIR_DOMAIN_SHUTOFF, id, "STOPPED");

        // Starting proves the guest over HTTP; the test driver runs no guest, so the start ends KO
        // after the boot timeout and its compensation powers the domain off again.
        String start = api.act(id, "start");
        JsonNode startJob = api.awaitEnd(start, Duration.ofSeconds(30));
        assertThat(startJob.path("state").asText()).isEqualTo("KO");
        assertThat(api.log(start)).contains("[start-vm] domain started").contains("[test-http]").contains("powered off");
        assertThat(domain.getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_SHUTOFF);

        ok(api, api.post("/api/units/" + id + "/snapshots/before/revert", null));
        assertState(api, domain, DomainState.VIR_DOMAIN_RUNNING, id, "RUNNING");

        act(api, id, "save");
        assertState(api, domain, DomainState.VIR_DOMAIN_SHUTOFF, id, "SAVED");
        assertThat(host.statePath(vm)).exists();
        act(api, id, "restore");
        assertState(api, domain, DomainState.VIR_DOMAIN_RUNNING, id, "RUNNING");
        assertThat(host.statePath(vm)).doesNotExist();

        String stop = act(api, id, "stop");
        assertThat(api.log(stop)).contains("ACPI shutdown sent");
        assertState(api, domain, DomainState.VIR_DOMAIN_SHUTOFF, id, "STOPPED");

        // A clone copies the stopped VM's disk through libvirt; with no guest to answer it ends KO
        // and leaves nothing (the successful clone is proven on a real VM).
        ResponseEntity<String> clone = api.post("/api/units/" + id + "/clone", Map.of("domain",
                "copy-" + vm.domain(), "ipv4", freeAddress()));
        assertThat(clone.getStatusCode().value()).as(clone.getBody()).isEqualTo(202);
        String cloneJob = api.json(clone).path("id").asText();
        assertThat(api.awaitEnd(cloneJob, Duration.ofSeconds(30)).path("state").asText()).isEqualTo("KO");
        assertThat(api.log(cloneJob)).contains("[copy-disk] disk of " + vm.domain() + " copied")
                .contains("[write-seed]").contains("domain and address released");
        assertThat(units.findAll()).noneMatch(u -> u.domain().equals("copy-" + vm.domain()));

        ok(api, api.post("/api/units/" + id + "/exports", Map.of("format", "vmdk")));
        JsonNode export = api.json(api.get("/api/units/" + id + "/exports")).get(0);
        assertThat(export.path("format").asText()).isEqualTo("vmdk");
        assertThat(host.pool().listVolumes()).anyMatch(v -> v.startsWith(vm.libvirtName() + "-export-") && v.endsWith(".vmdk"));
        assertThat(api.post("/api/units/" + id + "/exports", Map.of("format", "exe")).getStatusCode().value()).isEqualTo(400);

        ok(api, api.post("/api/units/" + id + "/resize", Map.of("vcpus", "2", "memory", "256")));
        String xml = domain.getXMLDesc(0);
        assertThat(xml).contains("<vcpu placement='static'>2</vcpu>").contains("<memory unit='KiB'>262144</memory>");
        assertThat(api.post("/api/units/" + id + "/resize", Map.of("vcpus", "64", "memory", "256"))
                .getStatusCode().value()).isEqualTo(400);

        // Growing itself is proven on a real VM (the test driver has no volume resize); shrinking is refused.
        assertThat(api.json(api.post("/api/units/" + id + "/grow", Map.of("diskSize", "64M"))).path("errors")
                .path("diskSize").asText()).contains("must be larger");

        ok(api, api.delete("/api/units/" + id + "/snapshots/before"));
        assertThat(domain.snapshotListNames()).isEmpty();
        assertThat(api.json(api.get("/api/units/" + id + "/snapshots")).size()).isZero();

        String check = api.post("/api/units/" + id + "/actions/check-filesystem", null).getBody();
        assertThat(check).contains("a vm has no action 'check-filesystem'");

        act(api, id, "delete");
        assertThat(host.connection().listDefinedDomains()).doesNotContain(vm.libvirtName());
        assertThat(host.pool().listVolumes()).noneMatch(v -> v.startsWith(vm.libvirtName()));
        assertThat(api.get("/api/units/" + id).getStatusCode().value()).isEqualTo(404);
    }

    /** A VM as a successful creation leaves it: row, address, disk, seed and a running domain. */
    private UnitEntity runningVm() throws Exception {
        String ip = freeAddress();
        UUID pool = pools.findByNodeNameAndNetworkName("testdriver", "lodgetest0").orElseThrow().id();
        UnitEntity vm = UnitEntity.vm(data.tenant("vm").getId(), "testdriver", pool,
                DomainName.parse("matrix-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com"), ip, 128L << 20,
                128, 1, TEMPLATE);
        vm.changeState(org.lodge.provisioning.UnitState.RUNNING);
        units.saveAndFlush(vm);
        jdbc.sql("insert into ip_assignment (address, pool_id, unit_id) values (cast(:a as inet), :p, :u)")
                .param("a", ip).param("p", pool).param("u", vm.id()).update();
        host.pool().storageVolCreateXML("<volume><name>" + VmHost.diskName(vm) + "</name><capacity>134217728</capacity>"
                + "<target><format type='qcow2'/></target></volume>", 0);
        host.connection().domainDefineXML(definitions.render(vm)).create();
        return vm;
    }

    private static void ok(Api api, ResponseEntity<String> response) throws InterruptedException {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        api.awaitOk(api.json(response).path("id").asText());
    }

    private static String act(Api api, String id, String action) throws InterruptedException {
        String job = api.act(id, action);
        api.awaitOk(job);
        return job;
    }

    private static void assertState(Api api, Domain domain, DomainState libvirt, String id, String shown)
            throws LibvirtException {
        assertThat(domain.getInfo().state).isEqualTo(libvirt);
        assertThat(api.json(api.get("/api/units/" + id)).path("state").asText()).isEqualTo(shown);
    }
}
