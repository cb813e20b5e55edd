package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.LogLine;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.libvirt.TransientStepException;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's rules on the real job table: order, retries of transient failures only,
 * compensation in reverse, step timeouts, one running job per unit.
 */
@PortalOnlyTest
class JobEngineTest {

    private static final String NODE = "engine-node";

    @Autowired
    JobStore store;
    @Autowired
    JobLogWriter lines;
    @Autowired
    JobRepository jobs;
    @Autowired
    JobQueue queue;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    TestData data;
    @Autowired
    NodeProperties nodeProps;
    @Autowired
    UnitService jails;

    final List<String> trail = new CopyOnWriteArrayList<>();

    @BeforeEach
    void node() {
        data.node(NODE, 1L << 30);
    }

    /** A step that records what it does and fails as told. */
    record Recording(String name, List<String> trail, Duration timeout, Runnable behaviour) implements Step {
        @Override
        public void execute(JobContext ctx) {
            trail.add("run " + name);
            behaviour.run();
        }

        @Override
        public void compensate(JobContext ctx) {
            trail.add("undo " + name);
        }
    }

    private Step step(String name, Runnable behaviour) {
        return new Recording(name, trail, Duration.ofSeconds(5), behaviour);
    }

    private JobRunner runner(Step... steps) {
        return TestRunners.runner(store, lines, json, nodeProps, NODE, JobKind.START_JAIL, steps);
    }

    private UUID enqueue(UUID unit) {
        return tx.execute(status -> queue.enqueue(JobKind.START_JAIL, NODE, UUID.randomUUID(), unit, "unit.example.com",
                "{}", null, "tester").id());
    }

    private JobEntity runOne(JobRunner runner) {
        ClaimedJob claimed = store.claim(NODE, runner.workerId()).orElseThrow();
        runner.run(claimed);
        return jobs.findById(claimed.id()).orElseThrow();
    }

    private String log(UUID job) {
        return String.join("\n", store.logAfter(job, 0).stream().map(LogLine::text).toList());
    }

    @Test
    void runsStepsInOrderToOk() {
        JobRunner runner = runner(step("a", () -> { }), step("b", () -> { }));
        UUID id = enqueue(UUID.randomUUID());
        JobEntity job = runOne(runner);
        assertThat(job.state()).isEqualTo(JobState.OK);
        assertThat(trail).containsExactly("run a", "run b");
        assertThat(log(id)).contains("INFO [a] done in").contains("INFO [b] done in").contains("exit status OK");
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(jdbc.sql("select coalesce(from_state, '-') || ' > ' || to_state || ': ' || reason from job_transition"
                        + " where job_id = :id order by id").param("id", id).query(String.class).list())
                .hasSize(3).element(1).isEqualTo("ENQUEUED > RUNNING: claimed by " + runner.workerId());
    }

    /** A step that reads {@code times} times through the attempt's shared copy, as UnitStep does. */
    record Reading(String name, boolean onlyReadsUnit, int times, List<String> trail, AtomicInteger reads)
            implements Step {
        @Override
        public void execute(JobContext ctx) {
            for (int i = 0; i < times; i++) {
                trail.add(name + " saw " + ctx.shared(String.class, () -> "read " + reads.incrementAndGet()));
            }
        }
    }

    @Test
    void stepsThatOnlyReadShareOneReadUntilAStepThatMayWrite() {
        AtomicInteger reads = new AtomicInteger();
        JobRunner runner = runner(new Reading("a", true, 1, trail, reads), new Reading("b", true, 2, trail, reads),
                new Reading("writer", false, 2, trail, reads), new Reading("c", true, 1, trail, reads),
                new Reading("d", true, 1, trail, reads));
        enqueue(UUID.randomUUID());
        assertThat(runOne(runner).state()).isEqualTo(JobState.OK);
        // The writer reads afresh every time (what it calls may have written), and so does the next step.
        assertThat(trail).containsExactly("a saw read 1", "b saw read 1", "b saw read 1", "writer saw read 2",
                "writer saw read 3", "c saw read 4", "d saw read 4");
    }

    @Test
    void retriesATransientFailureWithBackoff() {
        AtomicInteger calls = new AtomicInteger();
        JobRunner runner = runner(step("flaky", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new TransientStepException("libvirt connection lost", null);
            }
        }));
        UUID id = enqueue(UUID.randomUUID());
        assertThat(runOne(runner).state()).isEqualTo(JobState.OK);
        assertThat(calls).hasValue(3);
        assertThat(log(id)).contains("retry 1 after: libvirt connection lost").contains("retry 2");
    }

    @Test
    void doesNotRetryAPermanentFailureAndCompensatesInReverse() {
        JobRunner runner = runner(step("a", () -> { }), step("b", () -> { }),
                step("c", () -> { throw new IllegalStateException("disk full"); }), step("d", () -> { }));
        UUID id = enqueue(UUID.randomUUID());
        JobEntity job = runOne(runner);
        assertThat(job.state()).isEqualTo(JobState.KO);
        assertThat(trail).containsExactly("run a", "run b", "run c", "undo c", "undo b", "undo a");
        assertThat(job.view().lastError()).isEqualTo("c: disk full");
        assertThat(log(id)).contains("ERROR [c] failed: disk full").contains("exit status KO");
    }

    @Test
    void aHangingStepTimesOutAndTheJobEndsKo() {
        Step hang = new Recording("hang", trail, Duration.ofMillis(300), () -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        JobRunner runner = runner(hang);
        UUID id = enqueue(UUID.randomUUID());
        long started = System.nanoTime();
        assertThat(runOne(runner).state()).isEqualTo(JobState.KO);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(log(id)).contains("hang timed out after 0 s");
    }

    @Test
    void aJobNoWorkerTakesEndsKoAndFreesItsReservation() throws Exception {
        UUID tenant = data.tenant("queue").getId();
        JobView job = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, "64M",
                "q" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null), "tester"));
        Thread.sleep(50);
        assertThat(store.expireUnclaimed(Duration.ofMillis(10))).contains(job.id());
        JobEntity expired = jobs.findById(job.id()).orElseThrow();
        assertThat(expired.state()).isEqualTo(JobState.KO);
        assertThat(expired.view().lastError()).contains("no worker took the job");
        assertThat(jails.list(TenantScope.of(tenant))).isEmpty();
        assertThat(log(job.id())).contains("exit status KO");
    }

    @Test
    void neverClaimsTwoJobsOfOneUnitAtOnce() {
        UUID unit = UUID.randomUUID();
        UUID first = enqueue(unit);
        enqueue(unit);
        JobRunner runner = runner(step("a", () -> { }));
        ClaimedJob claimed = store.claim(NODE, runner.workerId()).orElseThrow();
        assertThat(claimed.id()).isEqualTo(first);
        assertThat(store.claim(NODE, runner.workerId())).as("the unit is busy").isEmpty();
        runner.run(claimed);
        assertThat(store.claim(NODE, runner.workerId())).isPresent();
    }

    @Test
    void anAttemptRevivedWhileItRanStopsAndLeavesTheJobToTheNewerOne() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entries = new AtomicInteger();
        JobRunner runner = runner(step("a", () -> {
            if (entries.incrementAndGet() == 1) {
                inStep.countDown();
                awaitQuietly(release);
            }
        }), step("b", () -> { }));
        UUID id = enqueue(UUID.randomUUID());
        ClaimedJob claimed = store.claim(NODE, runner.workerId()).orElseThrow();
        Thread first = new Thread(() -> runner.run(claimed));
        first.start();
        assertThat(inStep.await(5, TimeUnit.SECONDS)).isTrue();
        // The first attempt's heartbeat looks stopped: revived and claimed again while step a still runs.
        assertThat(store.reviveStale(Duration.ZERO)).contains(id);
        ClaimedJob again = store.claim(NODE, runner.workerId()).orElseThrow();
        assertThat(again.id()).isEqualTo(id);
        release.countDown();
        first.join(5_000);

        assertThat(trail).as("the old attempt runs nothing more and undoes nothing").containsExactly("run a");
        JobEntity owned = jobs.findById(id).orElseThrow();
        assertThat(owned.state()).isEqualTo(JobState.RUNNING);
        assertThat(owned.attempts()).isEqualTo(2);
        assertThat(log(id)).contains("attempt 1 stops here: the job was taken up again by a newer attempt");

        runner.run(again);
        assertThat(jobs.findById(id).orElseThrow().state()).isEqualTo(JobState.OK);
        assertThat(trail).containsExactly("run a", "run a", "run b");
    }

    /**
     * The old attempt's heartbeat finds its job taken up again while its step waits on a host
     * program: the step is interrupted there (not at its end), the program is stopped, and the
     * old attempt neither compensates nor touches the job.
     */
    @Test
    void aTakenOverAttemptIsInterruptedInsideItsStepAndItsProgramStops() throws Exception {
        AtomicInteger entries = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        HostCommands host = new HostCommands();
        // Blocks until killed, idle: a program that would run past the test without the interrupt.
        Step watch = new Recording("watch", trail, Duration.ofSeconds(30), () -> {
            if (entries.incrementAndGet() == 1) {
                try {
                    host.run(HostCommands.Program.IP, MONITOR, Duration.ofSeconds(30));
                } catch (RuntimeException e) {
                    seen.add(e.getMessage());
                    throw e;
                }
            }
        });
        JobRunner runner = runner(watch, step("b", () -> { }));
        UUID id = enqueue(UUID.randomUUID());
        ClaimedJob claimed = store.claim(NODE, runner.workerId()).orElseThrow();
        Thread first = new Thread(() -> runner.run(claimed));
        first.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (monitors().isEmpty()) {
            assertThat(System.nanoTime()).as("the step's program runs").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(store.reviveStale(Duration.ZERO)).contains(id);
        ClaimedJob again = store.claim(NODE, runner.workerId()).orElseThrow();
        assertThat(again.id()).isEqualTo(id);

        long beat = System.nanoTime();
        runner.heartbeat();
        first.join(5_000);
        Duration stopped = Duration.ofNanos(System.nanoTime() - beat);
        assertThat(first.isAlive()).as("the old attempt stops inside its step").isFalse();
        System.out.println("taken-over attempt stopped " + stopped.toMillis() + " ms after its heartbeat");
        assertThat(stopped).isLessThan(Duration.ofSeconds(3));
        assertThat(monitors()).as("the step's program is stopped with it").isEmpty();
        assertThat(seen).singleElement().asString().contains("interrupted");
        assertThat(trail).as("the old attempt runs nothing more and undoes nothing").containsExactly("run watch");
        JobEntity owned = jobs.findById(id).orElseThrow();
        assertThat(owned.state()).isEqualTo(JobState.RUNNING);
        assertThat(owned.attempts()).isEqualTo(2);
        assertThat(log(id)).contains("WARN [watch] interrupted: the job was taken up again during watch")
                .contains("attempt 1 stops here: the job was taken up again by a newer attempt")
                .doesNotContain("failed:").doesNotContain("exit status");

        runner.run(again);
        assertThat(jobs.findById(id).orElseThrow().state()).isEqualTo(JobState.OK);
        assertThat(trail).containsExactly("run watch", "run watch", "run b");
    }

    private static final List<String> MONITOR = List.of("monitor", "label", "link");

    private static List<ProcessHandle> monitors() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(List::of).filter(MONITOR::equals).isPresent()).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
