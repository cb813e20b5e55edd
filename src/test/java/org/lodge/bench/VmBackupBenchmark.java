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
 * chain converted by hand with qemu-img, and backed up stopped. Writes target/vm-backup-benchmark.md.
 */
@LiveNodeTest
@Tag("bench")
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
        String ip = "10.231.77.230";
        String domain = "vmbench-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", api.newTenant("vmbench"), "kind", "VM",
                "diskSize", "256M", "domain", domain, "ipv4", ip, "vcpus", "1", "memory", "128"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String createJob = api.json(created).path("id").asText();
        String unitId = api.awaitEnd(createJob, Duration.ofSeconds(150)).path("unitId").asText();
        var credentials = api.json(api.post("/api/jobs/" + createJob + "/credentials", null));
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(60));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(credentials.path("username").asText(), credentials.path("password").asText())).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        byte[] data = new byte[DATA_MIB << 20];
        new Random(8).nextBytes(data);
        assertThat(ftp.storeFile("data.bin", new ByteArrayInputStream(data))).as(ftp.getReplyString()).isTrue();
        ftp.disconnect();

        StringBuilder table = new StringBuilder("| run | image | capture | MB/s | restic read / added | restic | job |\n"
                + "|---|---|---|---|---|---|---|\n");
        table.append(backupRow(api, unitId, "BACKUP_VM, running (push backup)"));
        table.append(backupRow(api, unitId, "BACKUP_VM, running, nothing changed"));
        api.awaitOk(api.act(unitId, "stop"));
        Path disk = host.volumePath("lodge-" + unitId.substring(0, 8) + ".qcow2");
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
        return String.format(Locale.ROOT, "| %s | %.1f MiB | %d ms | %.1f | %.1f / %.1f MiB | %s s | %.1f s |%n", label,
                read / 1048576.0, captureMs, read / 1e6 / (Math.max(1, captureMs) / 1000.0), read / 1048576.0,
                added / 1048576.0, restic.group(3), jobMs / 1000.0);
    }
}
