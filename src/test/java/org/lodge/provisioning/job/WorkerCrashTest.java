package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lodge.support.AsStaff;
import org.lodge.LodgeApplication;
import org.lodge.SecuredPostgres;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.TestNetworkCleanup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker is killed with SIGKILL in the middle of a creation job. After a new worker starts,
 * the sweeper (here in the portal process, through Quartz) hands the job back and it ends OK,
 * with a running jail and nothing duplicated. The workers are real separate JVMs.
 */
@PortalOnlyTest
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
class WorkerCrashTest {

    private static final String NODE = "crash-node";
    private static final String IP = "10.231.77.23";

    @Autowired
    SecuredPostgres postgres;
    @Autowired
    UnitService jails;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;

    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    private Process startWorker(String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LodgeApplication.class.getName(),
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

    @Test
    void aJobOfAKilledWorkerIsResumedAndEndsOk() throws Exception {
        Process first = startWorker("crash-worker-1");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (jdbc.sql("select count(*) from ip_pool where node_name = :n").param("n", NODE).query(Long.class).single() == 0) {
            assertThat(System.nanoTime()).as("the worker registers its node").isLessThan(deadline);
            Thread.sleep(100);
        }
        UUID tenant = data.tenant("crash").getId();
        String domain = "crash-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        JobView job = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, "64M", domain, IP, null), "tester"));

        JobView running = await(job.id(), Duration.ofSeconds(30), JobState.RUNNING, JobState.OK, JobState.KO);
        first.destroyForcibly().waitFor();
        assertThat(running.state()).as("killed while the job ran").isEqualTo(JobState.RUNNING);
        assertThat(jobs.find(job.id(), TenantScope.all()).state()).isEqualTo(JobState.RUNNING);

        startWorker("crash-worker-2");
        JobView done = await(job.id(), Duration.ofSeconds(120), JobState.OK, JobState.KO);
        String log = String.join("\n", jobs.log(job.id(), 0, TenantScope.all()).stream().map(l -> l.text()).toList());
        assertThat(done.state()).as(log).isEqualTo(JobState.OK);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(log).contains("stopped responding").contains("attempt 2");
        assertThat(probe.get(IP, domain, "/").body()).contains(domain);

        JobView delete = AsStaff.call(() -> jails.requestAction(job.unitId(), UnitAction.DELETE, TenantScope.all(), "tester"));
        assertThat(await(delete.id(), Duration.ofSeconds(60), JobState.OK, JobState.KO).state()).isEqualTo(JobState.OK);
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)").param("a", IP)
                .query(Long.class).single()).isZero();
    }
}
