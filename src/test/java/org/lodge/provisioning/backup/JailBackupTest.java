package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestRestic;
import org.lodge.support.TestNetworkCleanup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backups for real: a restic repository on the node, 64 MiB jails, files written over FTPS. A
 * backup taken while the jail runs, then the files changed and deleted, then a restore in place
 * brings back the content and the owners and passes the HTTP and FTP proofs; and a jail written to
 * without pause during a backup its Quartz schedule started restores to a filesystem that e2fsck
 * finds clean.
 */
@LiveNodeTest
class JailBackupTest {

    private static final Pattern FROZEN = Pattern.compile("filesystem frozen for (\\d+) ms");
    private static final Duration BACKUP_PATIENCE = Duration.ofMinutes(4);

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

    record Jail(String id, String domain, String ip, String user, String password) {
    }

    private Jail newJail(Api api, String ip) throws Exception {
        String domain = "bk-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String jobId = api.createJail(api.newTenant("backup"), "64M", domain, ip);
        String id = api.awaitOk(jobId).path("unitId").asText();
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        return new Jail(id, domain, ip, credentials.path("username").asText(), credentials.path("password").asText());
    }

    @Test
    void restoresInPlaceTheContentAndOwnersOfABackupTakenWhileTheJailRan() throws Exception {
        Api api = staff();
        Jail jail = newJail(api, "10.231.77.81");
        FtpsClient ftp = login(jail, jail.password());
        put(ftp, "keep.html", "<p>original</p>");
        put(ftp, "gone.html", "<p>deleted later</p>");
        assertThat(ftp.makeDirectory("sub")).isTrue();
        put(ftp, "sub/deep.txt", "deep original\n");
        ftp.logout();
        ftp.disconnect();
        int ownerBefore = ownerInJail(jail, "keep.html");

        String backupJob = takeBackup(api, jail);
        String log = api.log(backupJob);
        report("backup of a running jail", log);
        long frozenMs = frozenMs(log);
        assertThat(frozenMs).as("freeze time (target ≤ 1 s)").isLessThanOrEqualTo(1000);
        assertThat(log).contains("the copy is a clean filesystem (e2fsck -fn")
                .contains("restic check --read-data-subset: no errors").containsPattern("test restore of \\w+: \\d+ entries")
                .contains("backup verified").contains("exit status OK").doesNotContain(jail.password());
        JsonNode backups = api.json(api.get("/api/units/" + jail.id() + "/backups"));
        assertThat(backups).hasSize(1);
        JsonNode backup = backups.get(0);
        assertThat(backup.path("verified").asBoolean()).isTrue();
        assertThat(backup.path("outcome").asText()).isEqualTo("OK");
        assertThat(backup.path("freezeMs").asLong()).isEqualTo(frozenMs);
        assertThat(backup.path("files").asLong()).isPositive();
        assertThat(TestRestic.run("snapshots", "--json", backup.path("snapshotId").asText())).contains("lodge-unit=" + jail.id());

        ftp = login(jail, jail.password());
        put(ftp, "keep.html", "<p>changed</p>");
        assertThat(ftp.deleteFile("gone.html")).isTrue();
        assertThat(ftp.deleteFile("sub/deep.txt")).isTrue();
        put(ftp, "new.html", "<p>after the backup</p>");
        ftp.logout();
        ftp.disconnect();

        ResponseEntity<String> restore = api.post("/api/units/" + jail.id() + "/backups/" + backup.path("id").asText()
                + "/restore", null);
        assertThat(restore.getStatusCode().value()).as(restore.getBody()).isEqualTo(202);
        String restoreJob = api.json(restore).path("id").asText();
        api.awaitOk(restoreJob);
        String restoreLog = api.log(restoreJob);
        report("restore in place", restoreLog);
        assertThat(restoreLog).contains("[restore-image]").contains("restored image is a clean filesystem")
                .contains("[test-http]").contains("[test-ftp] FTP login as " + jail.user())
                .contains("GET /lodge-probe-").contains("exit status OK");

        assertThat(probe.get(jail.ip(), jail.domain(), "/keep.html").body()).isEqualTo("<p>original</p>");
        assertThat(probe.get(jail.ip(), jail.domain(), "/gone.html").body()).isEqualTo("<p>deleted later</p>");
        assertThat(probe.get(jail.ip(), jail.domain(), "/sub/deep.txt").body()).isEqualTo("deep original\n");
        assertThat(probe.get(jail.ip(), jail.domain(), "/new.html").status()).isEqualTo(404);
        assertThat(ownerInJail(jail, "keep.html")).as("owners as they were").isEqualTo(ownerBefore);

        // The restore gave the FTP account a new password, revealed once by its job; the old one is gone.
        String newPassword = api.json(api.post("/api/jobs/" + restoreJob + "/credentials", null)).path("password").asText();
        assertThat(newPassword).hasSize(20).isNotEqualTo(jail.password());
        ftp = login(jail, newPassword);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("keep.html", content)).isTrue();
        assertThat(content.toString(StandardCharsets.UTF_8)).isEqualTo("<p>original</p>");
        ftp.logout();
        ftp.disconnect();
        assertThat(Files.exists(Path.of(TestNetworkCleanup.TEST_STORAGE, libvirtName(jail) + ".img.pre-restore")))
                .as("the previous image is gone once the restore passed").isFalse();
        api.awaitOk(api.act(jail.id(), "delete"));

        // The same backup into a new jail, after its unit was deleted: own domain and IPv4, the site and its owners back.
        String newDomain = "bk-new-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        ResponseEntity<String> toNew = api.post("/api/units/" + jail.id() + "/backups/" + backup.path("id").asText()
                + "/new-unit", java.util.Map.of("domain", newDomain, "ipv4", "10.231.77.84", "diskSize", "64M"));
        assertThat(toNew.getStatusCode().value()).as(toNew.getBody()).isEqualTo(202);
        String newJob = api.json(toNew).path("id").asText();
        JsonNode created = api.awaitOk(newJob);
        String newLog = api.log(newJob);
        report("restore into a new jail", newLog);
        assertThat(newLog).contains("[restore-site]").contains("'s site (snapshot").contains("[test-ftp]")
                .contains("exit status OK");
        Jail restored = new Jail(created.path("unitId").asText(), newDomain, "10.231.77.84",
                api.json(api.post("/api/jobs/" + newJob + "/credentials", null)).path("username").asText(), null);
        assertThat(probe.get(restored.ip(), newDomain, "/keep.html").body()).isEqualTo("<p>original</p>");
        assertThat(probe.get(restored.ip(), newDomain, "/sub/deep.txt").body()).isEqualTo("deep original\n");
        long oldBase = uidBase(jail);
        assertThat(ownerInJail(restored, "keep.html") - uidBase(restored)).as("the same owner inside the new jail")
                .isEqualTo(ownerBefore - oldBase);
        api.awaitOk(api.act(restored.id(), "delete"));
    }

    private long uidBase(Jail jail) {
        return jdbc.sql("select uid_base from unit where id = cast(:id as uuid)").param("id", jail.id())
                .query(Long.class).optional().orElseGet(() -> jdbc.sql("select uid_base from backup where unit_id ="
                        + " cast(:id as uuid) limit 1").param("id", jail.id()).query(Long.class).single());
    }

    @Test
    void aJailWrittenToThroughoutItsBackupRestoresToACleanFilesystem() throws Exception {
        Api api = staff();
        Jail jail = newJail(api, "10.231.77.82");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> writeUntilStopped(jail, stop, written));
        writer.start();
        String backupJob;
        try {
            while (written.get() < 5) {
                Thread.sleep(50);
            }
            backupJob = scheduledBackup(api, jail);
        } finally {
            stop.set(true);
            writer.join(30_000);
        }
        int before = written.get();
        String log = api.log(backupJob);
        report("backup under continuous writes (" + before + " uploads)", log);
        assertThat(before).as("files written while the backup ran").isGreaterThan(5);
        assertThat(frozenMs(log)).isLessThanOrEqualTo(1000);
        assertThat(log).contains("the copy is a clean filesystem (e2fsck -fn").contains("backup verified");
        String backupId = api.json(api.get("/api/units/" + jail.id() + "/backups")).get(0).path("id").asText();

        api.awaitOk(api.act(jail.id(), "stop"));
        String restoreJob = api.json(api.post("/api/units/" + jail.id() + "/backups/" + backupId + "/restore", null))
                .path("id").asText();
        api.awaitOk(restoreJob);
        api.awaitOk(api.act(jail.id(), "stop"));
        Path image = Path.of(TestNetworkCleanup.TEST_STORAGE, libvirtName(jail) + ".img");
        Process fsck = new ProcessBuilder("/sbin/e2fsck", "-fn", image.toString()).redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(report).isZero();
        api.awaitOk(api.act(jail.id(), "delete"));
    }

    /**
     * Retention after each backup: keep-last 1 under a disabled schedule, the first backup
     * protected. The third backup removes the second from restic and from the list; the protected
     * first and the newest stay. Then staff delete the newest by hand: gone from restic and the list.
     */
    @Test
    void retentionRemovesWhatItDoesNotKeepButNeverAProtectedOrTheNewestVerifiedBackup() throws Exception {
        Api api = staff();
        Jail jail = newJail(api, "10.231.77.83");
        assertThat(api.put("/api/units/" + jail.id() + "/backups/schedule", java.util.Map.of("cron", "0 0 3 * * ?",
                "enabled", false, "keepLast", 1)).getStatusCode().value()).isEqualTo(204);
        takeBackup(api, jail);
        String first = api.json(api.get("/api/units/" + jail.id() + "/backups")).get(0).path("id").asText();
        assertThat(api.put("/api/units/" + jail.id() + "/backups/" + first + "/protection",
                java.util.Map.of("protect", true)).getStatusCode().value()).isEqualTo(204);
        // A file written before each backup: each is a snapshot of its own (with nothing written, backups share one).
        write(jail, "second.html");
        String secondJob = takeBackup(api, jail);
        assertThat(api.log(secondJob)).contains("retention (keep-last 1) keeps all 2 backups");
        write(jail, "third.html");
        String thirdJob = takeBackup(api, jail);
        String log = api.log(thirdJob);
        report("retention", log);
        assertThat(log).contains("removed the backup of").contains("(kept by no rule)")
                .contains("retention (keep-last 1) kept 2 backups, removed 1");

        JsonNode left = api.json(api.get("/api/units/" + jail.id() + "/backups"));
        assertThat(left).extracting(b -> b.path("id").asText()).containsExactly(thirdJob, first);
        JsonNode snapshots = api.json(ResponseEntity.ok(TestRestic.run("snapshots", "--json", "--tag",
                ResticRepository.unitTag(UUID.fromString(jail.id())))));
        assertThat(snapshots).extracting(n -> n.path("short_id").asText()).containsExactlyInAnyOrder(
                left.get(0).path("snapshotId").asText(), left.get(1).path("snapshotId").asText());

        // The node's re-verification restores every verified backup again, these two among them.
        String node = jdbc.sql("select node_name from unit where id = cast(:id as uuid)").param("id", jail.id())
                .query(String.class).single();
        String verifyJob = api.json(api.post("/api/nodes/" + node + "/backups/verify", null)).path("id").asText();
        JsonNode verified = api.awaitEnd(verifyJob, BACKUP_PATIENCE);
        String verifyLog = api.log(verifyJob);
        assertThat(verified.path("state").asText()).as(verifyLog).isEqualTo("OK");
        assertThat(verifyLog).contains("(" + left.get(0).path("snapshotId").asText() + ") restores and reads back")
                .contains("(" + left.get(1).path("snapshotId").asText() + ") restores and reads back");

        // Staff delete the newest by hand (a DELETE_BACKUP job on the node); the protected one is refused, no job.
        String backups = "/api/units/" + jail.id() + "/backups/";
        assertThat(api.delete(backups + first).getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> deletion = api.delete(backups + thirdJob);
        assertThat(deletion.getStatusCode().value()).as(deletion.getBody()).isEqualTo(202);
        String deleteJob = api.json(deletion).path("id").asText();
        api.awaitOk(deleteJob);
        assertThat(api.log(deleteJob)).contains("snapshot " + left.get(0).path("snapshotId").asText()
                + " forgotten and pruned");
        assertThat(api.json(api.get("/api/units/" + jail.id() + "/backups"))).extracting(b -> b.path("id").asText()).containsExactly(first);
        assertThat(api.json(ResponseEntity.ok(TestRestic.run("snapshots", "--json", "--tag",
                ResticRepository.unitTag(UUID.fromString(jail.id())))))).extracting(n -> n.path("short_id").asText())
                .containsExactly(left.get(1).path("snapshotId").asText());
        api.awaitOk(api.act(jail.id(), "delete"));
    }

    private void write(Jail jail, String name) throws Exception {
        FtpsClient ftp = login(jail, jail.password());
        put(ftp, name, "<p>" + name + "</p>");
        ftp.logout();
        ftp.disconnect();
    }

    /** Uploads files of 32 KiB and rewrites one file, without pause, until told to stop (at most 60 s). */
    private void writeUntilStopped(Jail jail, AtomicBoolean stop, AtomicInteger written) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            FtpsClient ftp = login(jail, jail.password());
            byte[] data = new byte[32 << 10];
            for (int i = 0; !stop.get() && System.nanoTime() < deadline && i < 600; i++) {
                ThreadLocalRandom.current().nextBytes(data);
                ftp.storeFile("w-" + (i % 300) + ".bin", new ByteArrayInputStream(data));
                ftp.storeFile("rewritten.bin", new ByteArrayInputStream(data));
                written.incrementAndGet();
            }
            ftp.logout();
            ftp.disconnect();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A backup from the jail's own schedule (a cron every 2 s): the clustered Quartz dispatcher
     * queues it; the schedule is switched off as soon as the job exists (no second one is queued
     * beside it), then the job must end OK.
     */
    private String scheduledBackup(Api api, Jail jail) throws InterruptedException {
        String schedule = "/api/units/" + jail.id() + "/backups/schedule";
        assertThat(api.put(schedule, java.util.Map.of("cron", "0/2 * * * * ?", "jitterSeconds", 0))
                .getStatusCode().value()).isEqualTo(204);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        java.util.Optional<String> job = java.util.Optional.empty();
        while (job.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            job = jdbc.sql("select cast(id as varchar) from provisioning_job where unit_id = cast(:u as uuid)"
                    + " and kind = 'BACKUP_JAIL' and created_by = 'schedule'").param("u", jail.id())
                    .query(String.class).optional();
        }
        assertThat(api.put(schedule, java.util.Map.of("cron", "0/2 * * * * ?", "enabled", false))
                .getStatusCode().value()).isEqualTo(204);
        assertThat(job).as("the schedule queued a backup").isPresent();
        JsonNode ended = api.awaitEnd(job.get(), BACKUP_PATIENCE);
        assertThat(ended.path("state").asText()).as(api.log(job.get())).isEqualTo("OK");
        return job.get();
    }

    private String takeBackup(Api api, Jail jail) throws InterruptedException {
        ResponseEntity<String> response = api.post("/api/units/" + jail.id() + "/backups", null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        String jobId = api.json(response).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, BACKUP_PATIENCE);
        assertThat(job.path("state").asText()).as(api.log(jobId)).isEqualTo("OK");
        return jobId;
    }

    /** The figures of a job (its step timings and the backup's lines) in the test output. */
    private static void report(String what, String log) {
        System.out.println("== " + what);
        log.lines().filter(l -> l.contains("frozen for") || l.contains("restic snapshot") || l.contains("done in")
                || l.contains("test restore") || l.contains("restored into")).forEach(l -> System.out.println("   " + l));
    }

    private static long frozenMs(String log) {
        Matcher m = FROZEN.matcher(log);
        assertThat(m.find()).as(log).isTrue();
        return Long.parseLong(m.group(1));
    }

    private FtpsClient login(Jail jail, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(jail.ip(), 21);
        assertThat(ftp.loginPrivate(jail.user(), password)).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    static void put(FtpsClient ftp, String name, String content) throws Exception {
        assertThat(ftp.storeFile(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
    }

    private String libvirtName(Jail jail) {
        return jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", jail.id())
                .query(String.class).single();
    }

    /** The host uid owning a file of the jail's web root, seen through its init. */
    private int ownerInJail(Jail jail, String file) throws Exception {
        Connect conn = new Connect("lxc:///system", true);
        try {
            long pid = JailHost.initPid(conn.domainLookupByName(libvirtName(jail))).orElseThrow();
            Path path = Path.of("/proc", String.valueOf(pid), "root", "var", "www", jail.domain(), file);
            return (Integer) Files.getAttribute(path, "unix:uid");
        } finally {
            conn.close();
        }
    }
}
