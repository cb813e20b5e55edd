package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.JobKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Progress writes relax the commit of their own statement only: a pooled connection must never
 * carry "no synchronous commit" on to the claims and transitions of its next user, and a
 * caller's transaction (enqueueing) keeps its synchronous commit.
 */
@PortalOnlyTest
class JobStoreCommitTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    JobQueue queue;
    @Autowired
    UnitEvents unitEvents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    TestData data;

    @Test
    void aProgressWriteRelaxesItsOwnCommitAndNothingAfterIt() throws Exception {
        data.node("commit-node", 1L << 30);
        UUID job = tx.execute(status -> queue.enqueue(JobKind.START_JAIL, "commit-node", UUID.randomUUID(),
                UUID.randomUUID(), "unit.example.com", "{}", null, "tester").id());
        try (Connection connection = dataSource.getConnection()) {
            SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
            JdbcClient jdbc = JdbcClient.create(one);
            JobStore store = new JobStore(jdbc, unitEvents);
            jdbc.sql("set synchronous_commit to on").update();

            // Its own transaction: relaxed while it lasts (seen from inside a transaction Spring does not know of)...
            connection.setAutoCommit(false);
            store.log(job, "engine", "INFO", "inside a bare transaction");
            assertThat(setting(jdbc)).isEqualTo("off");
            connection.commit();
            connection.setAutoCommit(true);
            // ...and gone at its commit.
            store.log(job, "engine", "INFO", "on its own");
            // A step entry of an attempt that does not own the job (not RUNNING) is refused.
            assertThat(store.enterStep(job, 0, "b")).isFalse();
            assertThat(setting(jdbc)).isEqualTo("on");

            // A caller's transaction keeps its synchronous commit.
            new TransactionTemplate(new DataSourceTransactionManager(one)).executeWithoutResult(status -> {
                store.log(job, "engine", "INFO", "in the caller's transaction");
                assertThat(setting(jdbc)).isEqualTo("on");
            });
            assertThat(store.logAfter(job, 0)).extracting(line -> line.message()).contains("inside a bare transaction",
                    "on its own", "in the caller's transaction");
        }
    }

    private static String setting(JdbcClient jdbc) {
        return jdbc.sql("show synchronous_commit").query(String.class).single();
    }
}
