package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lodge.support.AsStaff;
import org.lodge.LodgeApplication;
import org.lodge.SecuredPostgres;
import org.lodge.provisioning.BackupService;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.TestNetworkCleanup;
import org.lodge.support.TestRestic;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One SIGKILL, two jobs in flight: a worker (a real separate JVM) is killed while it creates a
 * jail and backs up another one (restic reading its frozen copy). A new worker starts, as on a
 * node whose worker restarts; the sweeper (here in the portal process, through Quartz) hands it
 * both jobs and each ends, without leftovers. One kill and two worker starts serve both tests:
 * the starts are most of their time.
 */
@PortalOnlyTest
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerCrashTest {

    private static final String NODE = "crash-node";
    private static final String IP = "10.231.77.23";
    private static final String BACKUP_IP = "10.231.77.235";

    @Autowired
    SecuredPostgres postgres;
    @Autowired
    UnitService jails;
    @Autowired
    UnitActionService actions;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;
    @Autowired
    BackupService backups;
    @Value("${lodge.node.mount-dir}")
    String mountDir;
    @Value("${lodge.backup.work-dir}")
    String workDir;

    private final List<Process> workers = new ArrayList<>();
    /** The creation the worker was killed in, and its domain. */
    private JobView creation;
    private String domain;
    /** The jail whose backup the worker was killed in, its domain, and that backup. */
    private JobView backedUp;
    private String backupDomain;
    private JobView backup;
    private boolean resticLeft;

    @BeforeAll
    void killAWorkerWithTwoJobsInFlight() throws Exception {
        Process first = startWorker("crash-worker-1");
        awaitRegistered(first);
        backupDomain = "bcrash-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        UUID backupTenant = data.tenant("backup-crash").getId();
        backedUp = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(backupTenant, NODE, "64M", backupDomain,
                BACKUP_IP, null), "tester"));
        assertThat(await(backedUp.id(), Duration.ofSeconds(90), JobState.OK, JobState.KO).state()).isEqualTo(JobState.OK);
        // Enough random data (not deduplicated) for restic to take a few seconds over it.
        Path root = Path.of(mountDir, libvirtName(backedUp.unitId()));
        Files.createDirectories(root.resolve("var/tmp"));
        for (int i = 0; i < 6; i++) {
            byte[] chunk = new byte[4 << 20];
            ThreadLocalRandom.current().nextBytes(chunk);
            Files.write(root.resolve("var/tmp/crash-" + i + ".bin"), chunk);
        }
        backup = AsStaff.call(() -> backups.requestBackup(backedUp.unitId(), TenantScope.all(), "tester"));
        awaitStep(backup.id(), "restic-backup", Duration.ofSeconds(60));

        UUID tenant = data.tenant("crash").getId();
        domain = "crash-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        creation = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, "64M", domain, IP, null), "tester"));
        JobView running = await(creation.id(), Duration.ofSeconds(30), JobState.RUNNING, JobState.OK, JobState.KO);
        assertThat(running.state()).as("killed while the creation ran").isEqualTo(JobState.RUNNING);
        first.destroyForcibly().waitFor();
        assertThat(jobs.find(creation.id(), TenantScope.all()).state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs.find(backup.id(), TenantScope.all()).state()).as("killed while the backup ran")
                .isEqualTo(JobState.RUNNING);
        resticLeft = ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .filter(c -> c.contains("restic") && c.contains(" backup ")).isPresent());
        startWorker("crash-worker-2");
    }

    @AfterAll
    void stopWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    @Test
    void aJobOfAKilledWorkerIsResumedAndEndsOk() throws Exception {
        JobView done = await(creation.id(), Duration.ofSeconds(120), JobState.OK, JobState.KO);
        String log = logOf(creation.id());
        assertThat(done.state()).as(log).isEqualTo(JobState.OK);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(log).contains("stopped responding").contains("attempt 2");
        assertThat(probe.get(IP, domain, "/").body()).contains(domain);

        JobView delete = AsStaff.call(() -> actions.requestAction(done.unitId(), UnitAction.DELETE, TenantScope.all(), "tester"));
        assertThat(await(delete.id(), Duration.ofSeconds(60), JobState.OK, JobState.KO).state()).isEqualTo(JobState.OK);
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)").param("a", IP)
                .query(Long.class).single()).isZero();
    }

    /**
     * Killed while restic read the jail's frozen copy, its children left to themselves as in a
     * real crash. The revived job ends (OK or KO, never hangs), the jail runs and takes writes
     * (not frozen), restic has no lock left and checks clean, the work area (copy, its read-only
     * mount, the scratch restore) is gone, and the unit takes a new action.
     */
    @Test
    void aBackupOfAKilledWorkerEndsWithoutLeftovers() throws Exception {
        UUID unit = backedUp.unitId();
        String name = libvirtName(unit);
        Path root = Path.of(mountDir, name);
        JobView done = await(backup.id(), Duration.ofSeconds(120), JobState.OK, JobState.KO);
        String log = logOf(backup.id());
        assertThat(done.attempts()).as(log).isEqualTo(2);
        assertThat(log).contains("stopped responding").contains("attempt 2");
        BackupView row = backups.list(unit, TenantScope.all()).stream().filter(b -> b.id().equals(backup.id()))
                .findFirst().orElseThrow();
        if (done.state() == JobState.OK) {
            assertThat(row.verified()).as(log).isTrue();
            assertThat(row.outcome()).isEqualTo("OK");
        } else {
            assertThat(row.outcome()).as(log).isEqualTo("KO");
            assertThat(row.reason()).as(log).isNotBlank();
            JobView next = AsStaff.call(() -> backups.requestBackup(unit, TenantScope.all(), "tester"));
            assertThat(await(next.id(), Duration.ofSeconds(120), JobState.OK, JobState.KO).state())
                    .as("a following backup").isEqualTo(JobState.OK);
        }
        System.out.println("backup crash: restic left running after the kill: " + resticLeft + "; revived job "
                + done.state() + " in " + Duration.between(done.startedAt(), done.finishedAt()).toMillis() + " ms");

        assertThat(TestRestic.run("list", "locks", "--no-lock")).as("no restic lock left").isBlank();
        // No snapshot of the killed attempt left behind without a backup row that owns it.
        JsonNode snapshots = new ObjectMapper().readTree(TestRestic.run("snapshots", "--json", "--tag",
                ResticRepository.unitTag(unit)));
        assertThat(snapshots).extracting(s -> s.path("short_id").asText()).as(log)
                .containsExactlyInAnyOrderElementsOf(backups.list(unit, TenantScope.all()).stream()
                        .map(BackupView::snapshotId).filter(java.util.Objects::nonNull).toList());
        TestRestic.run("check");
        Path work = Path.of(workDir, name);
        assertThat(work).as("the frozen copy, its mount and the scratch restore are released").doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(work.toString());
        // A frozen filesystem blocks this write; a thawed one takes it at once.
        CompletableFuture.runAsync(() -> writeQuietly(root.resolve("var/tmp/after-crash.txt")))
                .get(10, TimeUnit.SECONDS);
        assertThat(probe.get(BACKUP_IP, backupDomain, "/").body()).contains(backupDomain);

        JobView delete = AsStaff.call(() -> actions.requestAction(unit, UnitAction.DELETE, TenantScope.all(), "tester"));
        assertThat(await(delete.id(), Duration.ofSeconds(120), JobState.OK, JobState.KO).state())
                .as("a new action on the unit is taken and ends OK").isEqualTo(JobState.OK);
    }

    private Process startWorker(String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A worker that lives for a few jobs: C1 alone starts it with about a third less CPU.
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LodgeApplication.class.getName(),
                "--spring.profiles.active=test",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + SecuredPostgres.SUPERUSER,
                "--lodge.roles=worker", "--lodge.node.name=" + NODE, "--server.port=0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/" + name + ".log"));
        // The database's password through the environment, not the command line (ps shows that).
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", postgres.password());
        Process worker = builder.start();
        workers.add(worker);
        return worker;
    }

    /** Waits until the first worker has registered the node (a jail can then be asked for). */
    private void awaitRegistered(Process worker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (jdbc.sql("select count(*) from ip_pool where node_name = :n").param("n", NODE).query(Long.class).single() == 0) {
            assertThat(worker.isAlive()).as("the worker runs (target/crash-worker-1.log)").isTrue();
            assertThat(System.nanoTime()).as("the worker registers its node").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private JobView await(UUID jobId, Duration patience, JobState... states) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            JobView job = jobs.find(jobId, TenantScope.all());
            if (List.of(states).contains(job.state())) {
                return job;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + jobId + " not in " + List.of(states) + " after " + patience);
    }

    private void awaitStep(UUID jobId, String step, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!step.equals(jobs.find(jobId, TenantScope.all()).currentStep())) {
            assertThat(System.nanoTime()).as("job " + jobId + " reaches " + step).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private String logOf(UUID jobId) {
        return String.join("\n", jobs.log(jobId, 0, TenantScope.all()).stream().map(l -> l.text()).toList());
    }

    private String libvirtName(UUID unit) {
        return jdbc.sql("select libvirt_name from unit where id = :u").param("u", unit).query(String.class).single();
    }

    private static void writeQuietly(Path file) {
        try {
            Files.writeString(file, "written after the crash");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
