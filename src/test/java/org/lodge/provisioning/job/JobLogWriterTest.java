package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.LogLine;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lines a step logs travel on the writer's thread: after a flush every line appended before it is
 * in the table, and each job's lines are in the order they were logged, even with several jobs
 * logging at once (the live log reads by id).
 */
@PortalOnlyTest
class JobLogWriterTest {

    private static final int JOBS = 4;
    private static final int LINES = 200;

    @Autowired
    JobLogWriter lines;
    @Autowired
    JobStore store;
    @Autowired
    JobQueue queue;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    TestData data;

    private UUID enqueue() {
        data.node("log-writer-node", 1L << 30);
        return tx.execute(status -> queue.enqueue(JobKind.START_JAIL, "log-writer-node", UUID.randomUUID(),
                UUID.randomUUID(), "unit.example.com", "{}", null, "tester").id());
    }

    @Test
    void afterAFlushEveryLineIsWrittenInTheOrderEachJobLoggedIt() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        for (int j = 0; j < JOBS; j++) {
            jobs.add(enqueue());
        }
        ExecutorService steps = Executors.newFixedThreadPool(JOBS);
        try {
            List<Future<?>> logging = new ArrayList<>();
            for (UUID job : jobs) {
                logging.add(steps.submit(() -> {
                    for (int n = 0; n < LINES; n++) {
                        lines.append(JobLogWriter.Line.of(job, "step", "INFO", "line " + n));
                    }
                }));
            }
            for (Future<?> done : logging) {
                done.get();
            }
        } finally {
            steps.shutdown();
        }
        lines.flush();

        for (UUID job : jobs) {
            List<String> written = store.logAfter(job, 0).stream().filter(line -> "step".equals(line.step()))
                    .map(LogLine::message).toList();
            assertThat(written).hasSize(LINES);
            for (int n = 0; n < LINES; n++) {
                assertThat(written.get(n)).isEqualTo("line " + n);
            }
        }
    }

    @Test
    void aCodedLineKeepsItsCodeAndArguments() {
        UUID job = enqueue();
        lines.append(JobLogWriter.Line.of(job, "start", "WARN", JobWords.RETRY.with(2).detail("busy")));
        lines.flush();

        assertThat(store.logAfter(job, 0)).filteredOn(line -> "start".equals(line.step())).singleElement()
                .satisfies(line -> {
                    assertThat(line.level()).isEqualTo("WARN");
                    assertThat(line.phrase().code()).isEqualTo(JobWords.RETRY.with(2).code());
                    assertThat(line.phrase().detail()).isEqualTo("busy");
                });
    }
}
