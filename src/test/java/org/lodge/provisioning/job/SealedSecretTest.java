package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.FtpCredentials;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.AsStaff;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The FTP password waiting in {@code job_secret} is ciphertext under the key file, yet the
 * worker reads it back and the one reveal still returns it.
 */
@PortalOnlyTest
class SealedSecretTest {

    private static final String NODE = "sealed-node";

    @Autowired
    JobStore store;
    @Autowired
    JobLogWriter lines;
    @Autowired
    JobRepository jobs;
    @Autowired
    ObjectMapper json;
    @Autowired
    TestData data;
    @Autowired
    NodeProperties nodeProps;
    @Autowired
    UnitService units;
    @Autowired
    JobService jobService;
    @Autowired
    CreateFtpAccount ftpAccount;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theWaitingFtpPasswordIsStoredAsCiphertextAndTheRevealOpensIt() {
        data.node(NODE, 1L << 30);
        UUID tenant = data.tenant("sealed").getId();
        JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant, NODE, "64M",
                "s" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null), "tester"));
        AtomicReference<String> workerSaw = new AtomicReference<>();
        AtomicReference<String> stored = new AtomicReference<>();
        Step readBack = new Step() {
            @Override
            public String name() {
                return "read-back";
            }

            @Override
            public void execute(JobContext ctx) {
                workerSaw.set(ftpAccount.password(ctx));
                stored.set(jdbc.sql("select ftp_password_sealed from job_secret where job_id = :j")
                        .param("j", ctx.jobId()).query(String.class).single());
            }

            @Override
            public void compensate(JobContext ctx) {
            }
        };
        JobRunner runner = runner(ftpAccount, readBack);
        ClaimedJob claimed = store.claim(NODE, runner.workerId()).orElseThrow();
        assertThat(claimed.id()).isEqualTo(job.id());
        runner.run(claimed);
        assertThat(jobs.findById(claimed.id()).orElseThrow().state()).isEqualTo(JobState.OK);

        String password = workerSaw.get();
        assertThat(password).hasSize(20);
        assertThat(stored.get()).doesNotContain(password).isNotEqualTo(password)
                .as("IV + ciphertext + GCM tag, Base64").hasSizeGreaterThan(60);

        FtpCredentials revealed = jobService.revealCredentials(job.id(), TenantScope.of(tenant), "staff").orElseThrow();
        assertThat(revealed.password()).isEqualTo(password);
        assertThat(jobService.revealCredentials(job.id(), TenantScope.of(tenant), "staff")).as("revealed once").isEmpty();
    }

    private JobRunner runner(Step... steps) {
        return TestRunners.runner(store, lines, json, nodeProps, NODE, JobKind.CREATE_JAIL, steps);
    }
}
