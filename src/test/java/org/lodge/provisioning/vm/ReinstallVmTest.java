package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.FailureInjection;
import org.lodge.support.Ftps;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A VM reinstalled from the catalogue for real (lodge-test, TCG). A customer's confirmation that
 * does not name the unit, a disabled template, one whose minimum disk and memory the VM lacks, or
 * another tenant's customer is refused and queues nothing. The typed domain makes the disk again:
 * the customer's page is gone, the welcome page is back, the new FTP password logs in and the old
 * one is refused; domain, IPv4, MAC, shape and disk size stay and the VM's snapshot is gone with
 * its old disk. A reinstall that fails after its proofs (slow: two more boots) leaves the VM
 * running on its old disk, page, password and snapshot.
 */
@LiveNodeTest
class ReinstallVmTest {

    private static final String ROOMY = "vmre-roomy";

    private static final String IP = "10.231.77.237";
    private static final String UNDONE_IP = "10.231.77.238";
    private static final String CUSTOMER_PASSWORD = "reinstall-vm-password-1";
    private static final String OWN_PAGE = "<p>the customer's own page</p>";

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
    @Autowired
    VmHost host;

    record Vm(String id, String domain, String user, String password) {
    }

    @Test
    void aCustomerReinstallsAVmAfterTypingItsDomain() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("vmre");
        Api customer = new Api(rest, staff.newCustomer(tenant, CUSTOMER_PASSWORD), CUSTOMER_PASSWORD);
        Api stranger = new Api(rest, staff.newCustomer(staff.newTenant("vmre-other"), CUSTOMER_PASSWORD), CUSTOMER_PASSWORD);
        long started = System.nanoTime();
        Vm vm = newVm(staff, tenant, "vmre-", IP);
        long created = System.nanoTime();
        assertThat(ftps().upload(IP, vm.user(), vm.password(), "page.html", OWN_PAGE)).isTrue();
        assertThat(probe.get(IP, vm.domain(), "/page.html").body()).isEqualTo(OWN_PAGE);
        ok(staff, staff.post("/api/units/" + vm.id() + "/snapshots", Map.of("name", "before")));
        Map<String, Object> before = row(vm.id());

        String path = "/api/units/" + vm.id() + "/actions/reinstall";
        assertThat(stranger.post(path, Map.of("confirm", vm.domain())).getStatusCode().value())
                .as("another tenant's customer").isEqualTo(404);
        ResponseEntity<String> mismatch = customer.post(path, Map.of("confirm", "vmre.example.com"));
        assertThat(mismatch.getStatusCode().value()).isEqualTo(400);
        assertThat(mismatch.getBody()).contains("Type the domain " + vm.domain() + " exactly");
        // A catalogue template this VM is too small for. The node's own roomy template (debian-12) is
        // built by `./lodge bench` only, so the test plants the row the worker would report for one.
        jdbc.sql("insert into unit_template (node_name, name, kind, os, version, min_disk_bytes, min_memory_mib,"
                        + " customisation, enabled, is_default) values (:node, :name, 'VM', 'Debian 12', 'test', :disk, 256,"
                        + " 'cloud-init NoCloud', true, false)")
                .param("node", node.name()).param("name", ROOMY).param("disk", 2L << 30).update();
        try {
            ResponseEntity<String> tooSmall = customer.post(path, Map.of("confirm", vm.domain(), "template", ROOMY));
            assertThat(tooSmall.getStatusCode().value()).isEqualTo(400);
            assertThat(tooSmall.getBody()).contains("below what template " + ROOMY + " needs")
                    .contains("Template " + ROOMY + " needs 256 MiB of memory at least; this VM has 128 MiB");
            String templates = "/api/nodes/" + node.name() + "/templates/" + ROOMY + "/enabled";
            assertThat(staff.put(templates, Map.of("enabled", false)).getStatusCode().value()).isEqualTo(204);
            assertThat(customer.post(path, Map.of("confirm", vm.domain(), "template", ROOMY)).getBody())
                    .contains("'" + ROOMY + "' is disabled on node " + node.name());
        } finally {
            jdbc.sql("delete from unit_template where node_name = :node and name = :name")
                    .param("node", node.name()).param("name", ROOMY).update();
        }
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = cast(:id as uuid)"
                + " and kind = 'REINSTALL_VM'").param("id", vm.id()).query(Integer.class).single())
                .as("nothing queued by the refusals").isZero();

        long asked = System.nanoTime();
        ResponseEntity<String> queued = customer.post(path, Map.of("confirm", vm.domain()));
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String reinstall = customer.json(queued).path("id").asText();
        JsonNode job = customer.awaitEnd(reinstall, Duration.ofSeconds(200));
        long done = System.nanoTime();
        String log = staff.log(reinstall);
        System.out.println("[vm-reinstall]\n" + log);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(job.path("kind").asText()).isEqualTo("REINSTALL_VM");
        assertThat(log).contains("[reinstall-disk] new disk in place: a linked clone of template lodge-test")
                .contains("[write-seed]").contains("[test-http]").contains("[test-ftp] FTP login as " + vm.user())
                .contains("[forget-snapshots] 1 snapshot(s) of the previous disk deleted: before")
                .contains("[drop-previous-disk] previous disk and seed deleted").doesNotContain(vm.password());

        assertThat(staff.post("/api/jobs/" + reinstall + "/credentials", null).getStatusCode().value())
                .as("the asker's alone").isEqualTo(404);
        String newPassword = customer.json(customer.post("/api/jobs/" + reinstall + "/credentials", null))
                .path("password").asText();
        assertThat(newPassword).hasSize(20).isNotEqualTo(vm.password());
        assertThat(log).doesNotContain(newPassword);
        assertThat(probe.get(IP, vm.domain(), "/page.html").status()).as("the customer's page is gone").isEqualTo(404);
        assertThat(probe.get(IP, vm.domain(), "/").body()).as("the welcome page again").contains(vm.domain());
        assertThat(ftps().login(IP, vm.user(), newPassword)).isTrue();
        assertThat(ftps().login(IP, vm.user(), vm.password())).isFalse();
        assertThat(row(vm.id())).as("domain, IPv4, MAC, shape, disk size and template").isEqualTo(before);
        assertThat(before).containsEntry("template", "lodge-test");
        assertThat(host.domain("lodge-" + vm.id().substring(0, 8)).orElseThrow().snapshotListNames()).isEmpty();
        assertThat(staff.json(staff.get("/api/units/" + vm.id() + "/snapshots"))).isEmpty();
        assertNothingAside(vm);
        System.out.printf("[vm-reinstall] create %d ms, reinstall request to OK %d ms%n",
                (created - started) / 1_000_000, (done - asked) / 1_000_000);
        staff.awaitOk(staff.act(vm.id(), "delete"));
    }

    @Test
    @Tag("slow")
    void aReinstallThatFailsAfterItsProofsLeavesTheVmRunningOnItsOldDisk() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        Vm vm = newVm(staff, staff.newTenant("vmre-undo"), FailureInjection.REINSTALL_PREFIX, UNDONE_IP);
        assertThat(ftps().upload(UNDONE_IP, vm.user(), vm.password(), "page.html", OWN_PAGE)).isTrue();
        ok(staff, staff.post("/api/units/" + vm.id() + "/snapshots", Map.of("name", "kept")));
        Map<String, Object> before = row(vm.id());

        ResponseEntity<String> queued = staff.post("/api/units/" + vm.id() + "/actions/reinstall",
                Map.of("confirm", vm.domain(), "template", "lodge-test"));
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String reinstall = staff.json(queued).path("id").asText();
        JsonNode job = staff.awaitEnd(reinstall, Duration.ofSeconds(200));
        String log = staff.log(reinstall);
        System.out.println("[vm-reinstall] failed:\n" + log);
        assertThat(job.path("state").asText()).as(log).isEqualTo("KO");
        assertThat(log).contains("[test-ftp]").contains("failure injected by the test")
                .contains("previous disk and seed put back").contains("started again");
        assertThat(DomainStates.isActive(host.domain("lodge-" + vm.id().substring(0, 8)).orElseThrow())).isTrue();
        assertThat(staff.json(staff.get("/api/units/" + vm.id())).path("state").asText()).isEqualTo("RUNNING");
        assertThat(probe.awaitPage(UNDONE_IP, vm.domain(), "/page.html", Duration.ofSeconds(90)).body())
                .as("the customer's page on the old disk").isEqualTo(OWN_PAGE);
        assertThat(ftps().loginWhenUp(UNDONE_IP, vm.user(), vm.password(), 30)).as("the old password").isTrue();
        assertThat(row(vm.id())).isEqualTo(before);
        assertThat(Arrays.asList(host.domain("lodge-" + vm.id().substring(0, 8)).orElseThrow().snapshotListNames()))
                .containsExactly("kept");
        assertNothingAside(vm);
        staff.awaitOk(staff.act(vm.id(), "delete"));
    }

    private Vm newVm(Api staff, String tenant, String prefix, String ip) throws Exception {
        String domain = prefix + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String creation = staff.createVm(node.name(), tenant, domain, ip);
        JsonNode job = staff.awaitEnd(creation, Duration.ofSeconds(150));
        assertThat(job.path("state").asText()).as(staff.log(creation)).isEqualTo("OK");
        JsonNode credentials = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        return new Vm(job.path("unitId").asText(), domain, credentials.path("username").asText(),
                credentials.path("password").asText());
    }

    private Ftps ftps() {
        return new Ftps(certificates);
    }

    private Map<String, Object> row(String id) {
        return jdbc.sql("select domain, ipv4::text as ip, mac, vcpus, memory_mib, disk_bytes, template, template_version"
                + " from unit where id = cast(:id as uuid)").param("id", id).query().singleRow();
    }

    private void assertNothingAside(Vm vm) throws Exception {
        String name = "lodge-" + vm.id().substring(0, 8);
        try (var files = Files.list(host.volumePath(name).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name)))
                    .as("nothing left beside the disk and seed").allMatch(n -> !n.endsWith(".pre-restore")
                            && !n.endsWith(".restoring"));
        }
    }

    private static void ok(Api api, ResponseEntity<String> response) throws InterruptedException {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        api.awaitOk(api.json(response).path("id").asText());
    }
}
