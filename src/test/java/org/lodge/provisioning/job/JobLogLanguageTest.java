package org.lodge.provisioning.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStateMarks;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real job (the engine and the real mark-stopped step, then a step that fails with a host path
 * in its error) read through the API in Italian and English: staff read the coded lines in their
 * language with the error's detail, a customer reads them without it; old plain lines stay English.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class JobLogLanguageTest {

    private static final String NODE = "logwords-node";

    @Autowired
    MockMvc mvc;
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
    ObjectMapper json;
    @Autowired
    NodeProperties nodeProps;
    @Autowired
    UnitRepository units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;

    /** A step that fails as a probe would, naming a host path. */
    record Failing() implements Step {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public void execute(JobContext ctx) {
            throw new IllegalStateException("no answer from /var/lib/lodge/jails/x/run.sock");
        }

        @Override
        public void compensate(JobContext ctx) {
        }
    }

    @Test
    void aRealJobsLogIsReadInTheReadersLanguage() throws Exception {
        data.node(NODE, 1L << 30);
        TenantEntity tenant = data.tenant("logwords");
        UUID unit = rows.unit(tenant.getId(), NODE, "lw-" + UUID.randomUUID().toString().substring(0, 8) + ".example.it",
                data.freeAddress());
        UUID id = tx.execute(s -> queue.enqueue(JobKind.STOP_JAIL, NODE, tenant.getId(), unit, "lw.example.it", "{}",
                null, "tester").id());
        store.log(id, "engine", "INFO", "a plain line from before V47");
        JobRunner runner = TestRunners.runner(store, lines, json, nodeProps, NODE, JobKind.STOP_JAIL,
                new UnitStateMarks(units, jdbc, null).of(UnitState.STOPPED), new Failing());
        runner.run(store.claim(NODE, runner.workerId()).orElseThrow());
        assertThat(jobs.findById(id).orElseThrow().state()).isEqualTo(JobState.KO);

        String staff = data.staff();
        List<String> italian = messages(staff, id, "it-IT,it;q=0.9");
        assertThat(italian).contains("STOP_JAIL di lw.example.it messo in coda da tester per il nodo " + NODE,
                "a plain line from before V47", "jail: ora ferma", "annullato",
                "non riuscito: no answer from /var/lib/lodge/jails/x/run.sock",
                "esito KO: probe failed: no answer from /var/lib/lodge/jails/x/run.sock");
        assertThat(italian).anyMatch(l -> l.matches("tentativo 1 su .+: 2 passi"))
                .anyMatch(l -> l.matches("fatto in \\d+ ms"));
        List<String> english = messages(staff, id, "en");
        assertThat(english).contains("jail is now stopped", "compensated",
                "failed: no answer from /var/lib/lodge/jails/x/run.sock");
        assertThat(store.logAfter(id, 0)).extracting(l -> l.message()).as("the stored text stays English")
                .contains("jail is now stopped", "exit status KO: probe failed: no answer from /var/lib/lodge/jails/x/run.sock");

        List<String> customer = messages(data.customer(tenant), id, "it");
        assertThat(customer).contains("jail: ora ferma",
                "non riuscito (i dettagli sono nel log che lo staff può leggere)",
                "esito KO (i dettagli sono nel log che lo staff può leggere)");
        assertThat(String.join("\n", customer)).doesNotContain("/var/lib").doesNotContain("run.sock");
    }

    private List<String> messages(String user, UUID job, String language) throws Exception {
        String body = mvc.perform(get("/api/jobs/" + job + "/log").with(httpBasic(user, TestData.PASSWORD))
                        .header("Accept-Language", language))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (JsonNode line : json.readTree(body)) {
            lines.add(line.path("message").asText());
        }
        return lines;
    }
}
