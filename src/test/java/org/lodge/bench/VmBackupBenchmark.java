package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.libvirt.DomainCheckpoint;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * VM backup throughput beside {@code qemu-img convert} of the same disk in the same run: a
 * lodge-test VM with {@link #DATA_MIB} MiB of random data written over FTPS, backed up while it
 * runs (libvirt push backup), again unchanged (restic's deduplication), then stopped: the disk
 * chain converted by hand with qemu-img, and backed up stopped. Between the two: stopped, its disk
 * amended to qcow2 v3, started, a checkpoint, a 1 MiB upload, a backup, and by hand libvirt's
 * incremental push backup since the checkpoint (docs/backups.md, "Why every VM backup is a full
 * image"). Writes target/vm-backup-benchmark.md.
 */
@LiveNodeTest
@Tag("bench")
@Tag("worker")
class VmBackupBenchmark {

    private static final int DATA_MIB = 64;
    private static final Pattern CAPTURE = Pattern.compile("(?:written|convert) in (\\d+) ms");
    private static final Pattern RESTIC = Pattern.compile("restic snapshot \\w+: \\d+ files, (\\d+) bytes read \\([^)]*\\), (\\d+)"
            + " bytes added to the repository \\(deduplicated\\), in ([\\d.]+) s");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    NodeProperties node;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    VmHost host;

    @Test
    void vmBackupBesideQemuImgConvert() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        String ip = "10.231.77.44";
        String domain = "vmbench-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", api.newTenant("vmbench"), "kind", "VM",
                "diskSize", "256M", "domain", domain, "ipv4", ip, "vcpus", "1", "memory", "128"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String createJob = api.json(created).path("id").asText();
        String unitId = api.awaitEnd(createJob, Duration.ofSeconds(150)).path("unitId").asText();
        var credentials = api.json(api.post("/api/jobs/" + createJob + "/credentials", null));
        upload(ip, credentials.path("username").asText(), credentials.path("password").asText(), "data.bin", DATA_MIB << 20);

        StringBuilder table = new StringBuilder("| run | image | capture | MB/s | restic read / added | restic | job |\n"
                + "|---|---|---|---|---|---|---|\n");
        table.append(backupRow(api, unitId, "BACKUP_VM, running (push backup)"));
        table.append(backupRow(api, unitId, "BACKUP_VM, running, nothing changed"));
        // What libvirt's checkpoints would give: a checkpoint now, the same 1 MiB change, then Lodge's
        // full backup and, by hand, an incremental push backup of the blocks changed since the checkpoint.
        // Lodge's overlays are qcow2 v2 (libvirt's default), which cannot hold a checkpoint's bitmap: amended
        // to v3 offline, as every existing VM disk would have to be.
        api.awaitOk(api.act(unitId, "stop"));
        Path disk = host.volumePath("lodge-" + unitId.substring(0, 8) + ".qcow2");
        Process amend = new ProcessBuilder("qemu-img", "amend", "-o", "compat=1.1", disk.toString()).inheritIO().start();
        assertThat(amend.waitFor()).isZero();
        api.awaitOk(api.act(unitId, "start"));
        Domain libvirtDomain = host.domain("lodge-" + unitId.substring(0, 8)).orElseThrow();
        DomainCheckpoint checkpoint = libvirtDomain.checkpointCreateXML("<domaincheckpoint><name>bench-base</name><disks>"
                + "<disk name='vda' checkpoint='bitmap'/><disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>", 0);
        try {
            upload(ip, credentials.path("username").asText(), credentials.path("password").asText(), "small.bin", 1 << 20);
            table.append(backupRow(api, unitId, "BACKUP_VM, running, after a stop, start and a 1 MiB upload"));
            table.append(incrementalRow(libvirtDomain));
        } finally {
            checkpoint.delete(0); // libvirt refuses to undefine a domain that has checkpoints
        }
        api.awaitOk(api.act(unitId, "stop"));
        Path out = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "convert-", ".qcow2");
        Files.delete(out);
        long t0 = System.nanoTime();
        Process convert = new ProcessBuilder("qemu-img", "convert", "-O", "qcow2", disk.toString(), out.toString())
                .inheritIO().start();
        assertThat(convert.waitFor()).isZero();
        long convertMs = (System.nanoTime() - t0) / 1_000_000;
        long bytes = Files.size(out);
        Files.delete(out);
        table.append(String.format(Locale.ROOT, "| `qemu-img convert -O qcow2` of the same disk (stopped), by hand | %.1f MiB"
                + " | %d ms | %.1f | | | |%n", bytes / 1048576.0, convertMs, bytes / 1e6 / (convertMs / 1000.0)));
        table.append(backupRow(api, unitId, "BACKUP_VM, stopped (qemu-img convert)"));
        api.awaitOk(api.act(unitId, "delete"));

        String report = "VM backup, lodge-test VM, 256 MiB disk, " + DATA_MIB + " MiB random data, TCG\n\n" + table;
        System.out.println(report);
        Files.writeString(Path.of("target", "vm-backup-benchmark.md"), report);
    }

    /** An incremental push backup since checkpoint bench-base, by hand (not what Lodge does): its size and time. */
    private static String incrementalRow(Domain domain) throws Exception {
        Path out = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "incremental-", ".qcow2");
        Files.delete(out);
        long t0 = System.nanoTime();
        domain.backupBegin("<domainbackup mode='push'><incremental>bench-base</incremental><disks>"
                + "<disk name='vda' backup='yes' type='file'><driver type='qcow2'/><target file='" + out + "'/></disk>"
                + "<disk name='vdb' backup='no'/></disks></domainbackup>", null, 0);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (domain.getJobInfo().getType() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(domain.getJobStats(1).type).as("libvirt's incremental backup job completed").isEqualTo(3);
        long file = Files.size(out);
        Files.delete(out);
        return String.format(Locale.ROOT, "| libvirt incremental push backup since a checkpoint, by hand (restores only"
                + " on top of the image it was taken against) | %.1f MiB file | %d ms | | | | |%n", file / 1048576.0, ms);
    }

    private void upload(String ip, String user, String password, String name, int bytes) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(60));
        // After a start the guest answers HTTP a moment before its FTP server listens.
        for (int attempt = 1; ; attempt++) {
            try {
                ftp.connect(ip, 21);
                break;
            } catch (java.net.ConnectException refused) {
                if (attempt == 30) {
                    throw refused;
                }
                Thread.sleep(1000);
            }
        }
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        byte[] data = new byte[bytes];
        new Random(bytes).nextBytes(data);
        assertThat(ftp.storeFile(name, new ByteArrayInputStream(data))).as(ftp.getReplyString()).isTrue();
        ftp.disconnect();
    }

    private String backupRow(Api api, String unitId, String label) throws Exception {
        long t0 = System.nanoTime();
        ResponseEntity<String> asked = api.post("/api/units/" + unitId + "/backups", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        String job = api.json(asked).path("id").asText();
        assertThat(api.awaitEnd(job, Duration.ofMinutes(10)).path("state").asText()).as(api.log(job)).isEqualTo("OK");
        long jobMs = (System.nanoTime() - t0) / 1_000_000;
        String log = api.log(job);
        Matcher capture = CAPTURE.matcher(log);
        Matcher restic = RESTIC.matcher(log);
        assertThat(capture.find()).as(log).isTrue();
        assertThat(restic.find()).as(log).isTrue();
        long captureMs = Long.parseLong(capture.group(1));
        long read = Long.parseLong(restic.group(1));
        long added = Long.parseLong(restic.group(2));
        // restic reads the image plus the domain XML and facts (a few KiB): the image's size.
        String row = String.format(Locale.ROOT, "| %s | %.1f MiB | %d ms | %.1f | %.1f / %.1f MiB | %s s | %.1f s |%n",
                label, read / 1048576.0, captureMs, read / 1e6 / (Math.max(1, captureMs) / 1000.0), read / 1048576.0,
                added / 1048576.0, restic.group(3), jobMs / 1000.0);
        System.out.print("vm-backup-benchmark row: " + row);
        return row;
    }
}
