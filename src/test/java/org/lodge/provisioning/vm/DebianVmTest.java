package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.vm.DebianVmCopies.Vm;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * A real Debian 12 VM (systemd, cloud-init, nginx, pure-ftpd; built by
 * build-debian-vm-template.sh) from the operator's inputs through the normal job: the job's own
 * HTTP and FTPS proofs pass against it, the customer's credentials work, and the guest's own
 * report (nginx, node-only) shows that cloud-init grew its root filesystem to the disk at boot
 * and that a live grow is taken up as well; the customer's SSH key, given through the seed, logs in
 * as root, and systemd and {@code df} agree from inside. Then the same VM's copies, through the
 * API (DebianVmCopies): snapshot and revert, a verified backup while it runs, a qcow2 export that
 * passes {@code qemu-img check}, a clone and a restore into a new unit that boot, pass their
 * jobs' proofs and are themselves (hostname, machine-id, SSH host key, FTP account); last, the VM
 * reinstalled from the catalogue: welcome page back, a new FTP password, the customer's key still
 * opens root. Beside the job, the same boot made with direct libvirt calls (DirectBoot), for
 * docs/benchmarks.md.
 * In the slow group (`./lodge bench`): under TCG each boot takes about three minutes.
 */
@LiveNodeTest
@Tag("slow")
class DebianVmTest {

    private static final String TEMPLATE = "debian-12";
    private static final long GIB = 1L << 30;
    private static final String IP = "10.231.77.210";
    private static final String CLONE_IP = "10.231.77.93";
    private static final String RESTORED_IP = "10.231.77.94";
    private static final String FILE = "hello.txt";
    private static final String CONTENT = "from ftp\n";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    ServiceProbe probe;
    @Autowired
    NodeProperties node;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    VmTemplates templates;
    @Autowired
    VmHost host;
    @Autowired
    LibvirtXml xml;
    @Autowired
    UnitFilter filter;

    @TempDir
    Path keys;

    @Test
    void createsATestedDebianVmAndCopiesOfItThatAreThemselves() throws Exception {
        GuestShell shell = GuestShell.withNewKey(keys);
        VmTemplates.Template template = templates.find(TEMPLATE)
                .orElseThrow(() -> new AssertionError("run provisioning/host/setup-host.sh: it builds " + TEMPLATE));
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = api.newTenant("debvm");
        assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        DebianVmCopies copies = new DebianVmCopies(api, probe, certificates);
        try {
            Vm vm = create(api, copies, shell, template, tenant);
            String identity = shell.identity(IP);
            assertThat(identity.lines()).as(identity).hasSize(2);
            copies.snapshotAndRevert(vm, FILE, CONTENT);
            String backupId = copies.backupRunning(vm);
            copies.ok(api.post("/api/units/" + vm.id() + "/actions/stop", null), DebianVmCopies.BOOT_JOB);

            String mac = api.json(api.get("/api/units/" + vm.id())).path("mac").asText();
            DirectBoot.Timing direct = DirectBoot.of(host, xml, filter, template, "lodge-" + vm.id().substring(0, 8),
                    2 * GIB, probe, IP, mac, vm.domain());
            System.out.printf("DebianVmTest: direct libvirt (define + start, same XML, new overlay, same seed):"
                    + " running %d ms, HTTP %d ms; load average %s → %s%n", direct.toRunning().toMillis(),
                    direct.toHttp().toMillis(), direct.loadBefore(), direct.loadAfter());

            String export = copies.export(vm);
            assertThat(shell.run(List.of("qemu-img", "check", "-U", export))).contains("No errors were found");
            assertThat(shell.run(List.of("qemu-img", "info", "-U", export))).contains("file format: qcow2")
                    .doesNotContain("backing file");

            Vm clone = copies.cloneOf(vm, "clone-" + vm.domain(), CLONE_IP);
            copies.provesCopy(clone, vm, FILE, CONTENT);
            assertThat(shell.identity(CLONE_IP).lines()).as("machine-id and SSH host key of the clone")
                    .doesNotContainAnyElementsOf(identity.lines().toList());
            copies.ok(api.post("/api/units/" + clone.id() + "/actions/delete", null), DebianVmCopies.BOOT_JOB);

            Vm restored = copies.restoreInto(vm, backupId, "restored-" + vm.domain(), RESTORED_IP);
            copies.provesCopy(restored, vm, FILE, CONTENT);
            assertThat(shell.identity(RESTORED_IP).lines()).as("machine-id and SSH host key of the restored VM")
                    .doesNotContainAnyElementsOf(identity.lines().toList());
            copies.ok(api.post("/api/units/" + restored.id() + "/actions/delete", null), DebianVmCopies.BOOT_JOB);

            reinstall(api, copies, shell, vm);
        } finally {
            copies.deleteAll();
        }
    }

    /** The Debian VM through the job, proven from outside and inside, with its boot figures. */
    private Vm create(Api api, DebianVmCopies copies, GuestShell shell, VmTemplates.Template template, String tenant)
            throws Exception {
        String domain = "deb-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = IP;
        String loadBefore = DirectBoot.loadAverage();
        Instant submitted = Instant.now();
        long started = System.nanoTime();
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", tenant, "kind", "VM",
                "template", TEMPLATE, "diskSize", "2G", "domain", domain, "ipv4", ip, "vcpus", "1",
                "sshKey", shell.publicKey()));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String jobId = api.json(created).path("id").asText();
        String unitId = api.json(created).path("unitId").asText();
        copies.made.add(unitId);
        // Under TCG on a busy node the boot alone may take most of the 240 s boot timeout.
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(400));
        Duration toOk = Duration.ofNanos(System.nanoTime() - started);
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("linked clone").contains("of template " + TEMPLATE)
                .contains("[test-http] GET http://" + ip + "/").contains("[test-ftp] FTP login");
        System.out.println("DebianVmTest: request to OK " + toOk.toMillis() + " ms\n" + log);
        JsonNode unit = api.json(api.get("/api/units/" + unitId));
        assertThat(unit.path("template").asText()).isEqualTo(TEMPLATE);
        // Blank memory: the template's minimum, not the node's smaller default.
        assertThat(unit.path("memoryMib").asInt()).isEqualTo(template.minMemoryMib());

        // The customer's credentials: FTPS into the web root (chrooted), the upload served by nginx.
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        String user = credentials.path("username").asText();
        String password = credentials.path("password").asText();
        Vm vm = new Vm(unitId, domain, ip, user, password);
        assertThat(probe.get(ip, domain, "/").body()).contains(domain);
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        ftp.connect(ip, 21);
        ftp.requireCertificateFor(domain).verify(certificates.authority().getPublicKey());
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(ftp.storeFile(FILE, new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
        assertThat(ftp.listNames()).contains("index.html", FILE);
        ftp.logout();
        ftp.disconnect();
        assertThat(probe.get(ip, domain, "/" + FILE).body()).isEqualTo(CONTENT);

        // cloud-init grew the root filesystem from the template's size to the 2 GiB disk at boot.
        Properties guest = copies.guestReport(vm);
        assertThat(guest.getProperty("hostname")).isEqualTo(domain);
        assertThat(guest.getProperty("template")).startsWith(TEMPLATE + "-");
        assertThat(Long.parseLong(guest.getProperty("disk-bytes"))).isEqualTo(2 * GIB);
        long rootFs = Long.parseLong(guest.getProperty("root-fs-bytes"));
        assertThat(rootFs).as(guest.toString()).isGreaterThan(2 * GIB * 95 / 100)
                .isGreaterThan(template.minDiskBytes());

        // The customer's key opens root over SSH; systemd finished booting with no failed unit.
        assertThat(shell.sshWhenUp(ip, Duration.ofSeconds(180), "systemctl", "is-system-running", "--wait"))
                .isEqualTo("running");
        Duration systemRunning = Duration.ofNanos(System.nanoTime() - started);
        // The guest agent is installed for backups' filesystem freeze; without the domain's agent
        // channel its unit stays inactive and systemd still says "running" (above), not "degraded".
        assertThat(shell.ssh(ip, "dpkg-query -W -f='${Status}' qemu-guest-agent")).isEqualTo("install ok installed");
        System.out.println("DebianVmTest: qemu-guest-agent "
                + shell.ssh(ip, "systemctl show -p ActiveState --value qemu-guest-agent"));
        assertThat(shell.rootFilesystemBytes(ip)).isGreaterThan(2 * GIB * 95 / 100);

        // Grown live to 3 GiB: the guest's udev rule grows the filesystem online.
        ResponseEntity<String> grow = api.post("/api/units/" + unitId + "/grow", Map.of("diskSize", "3G"));
        assertThat(grow.getStatusCode().value()).as(grow.getBody()).isEqualTo(202);
        api.awaitOk(api.json(grow).path("id").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Long.parseLong(copies.guestReport(vm).getProperty("root-fs-bytes")) < 3 * GIB * 95 / 100) {
            assertThat(System.nanoTime()).as("root filesystem after a live grow: " + copies.guestReport(vm))
                    .isLessThan(deadline);
            Thread.sleep(500);
        }

        assertThat(shell.rootFilesystemBytes(ip)).isGreaterThan(3 * GIB * 95 / 100);

        System.out.printf("DebianVmTest: through the job: submit → running %d ms, → HTTP %d ms, → OK %d ms,"
                + " → systemctl is-system-running %d ms; load average %s → %s%n",
                Duration.between(submitted, stepAt(api, jobId, "start-vm", "domain started")).toMillis(),
                Duration.between(submitted, stepAt(api, jobId, "test-http", "GET http://")).toMillis(), toOk.toMillis(),
                systemRunning.toMillis(), loadBefore, DirectBoot.loadAverage());
        return vm;
    }

    /**
     * REINSTALL_VM of the (stopped) VM from its template, confirmed by its domain: the welcome page
     * is back and the customer's file gone, the new FTP password logs in and the old one is refused,
     * the customer's key (kept on the unit, given again by the seed) opens root on the new disk.
     */
    private void reinstall(Api api, DebianVmCopies copies, GuestShell shell, Vm vm) throws Exception {
        long asked = System.nanoTime();
        ResponseEntity<String> queued = api.post("/api/units/" + vm.id() + "/actions/reinstall",
                Map.of("confirm", vm.domain()));
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String jobId = api.json(queued).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, DebianVmCopies.BOOT_JOB);
        Duration toOk = Duration.ofNanos(System.nanoTime() - asked);
        String log = api.log(jobId);
        System.out.println("DebianVmTest: reinstall request to OK " + toOk.toMillis() + " ms\n" + log);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("[reinstall-disk] new disk in place: a linked clone of template " + TEMPLATE)
                .contains("[test-http] GET http://" + vm.ip() + "/").contains("[test-ftp] FTP login as " + vm.user())
                .doesNotContain(vm.password());
        String password = api.json(api.post("/api/jobs/" + jobId + "/credentials", null)).path("password").asText();
        assertThat(password).isNotEqualTo(vm.password());
        assertThat(probe.get(vm.ip(), vm.domain(), "/").body()).as("the welcome page again").contains(vm.domain());
        assertThat(probe.get(vm.ip(), vm.domain(), "/" + FILE).status()).as("the customer's file is gone")
                .isEqualTo(404);
        copies.login(vm.ip(), vm.user(), password).disconnect();
        FtpsClient old = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        old.connect(vm.ip(), 21);
        assertThat(old.loginPrivate(vm.user(), vm.password())).as("the old FTP password").isFalse();
        old.disconnect();
        long okAt = System.nanoTime();
        assertThat(shell.sshWhenUp(vm.ip(), Duration.ofSeconds(180), "systemctl", "is-system-running", "--wait"))
                .isEqualTo("running");
        System.out.println("DebianVmTest: after the reinstall, SSH as root and systemd running "
                + (System.nanoTime() - okAt) / 1_000_000 + " ms after the checks of the job's OK");
        assertThat(copies.guestReport(vm).getProperty("template")).isEqualTo(
                api.json(api.get("/api/units/" + vm.id())).path("templateVersion").asText());
    }

    /** When the job logged a line of {@code step} starting with {@code text}. */
    private static Instant stepAt(Api api, String jobId, String step, String text) {
        for (JsonNode line : api.json(api.get("/api/jobs/" + jobId + "/log"))) {
            if (line.path("step").asText().equals(step) && line.path("message").asText().startsWith(text)) {
                return Instant.parse(line.path("timestamp").asText());
            }
        }
        throw new AssertionError("no [" + step + "] " + text + " in the log of job " + jobId);
    }
}
