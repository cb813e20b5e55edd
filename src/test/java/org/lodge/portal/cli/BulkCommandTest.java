package org.lodge.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@code lodge bulk} against a running portal (no worker: this test ends the jobs itself, as a
 * worker would): units found by a search are stopped as one batch, whose id is printed and which
 * is followed to its end; a batch whose jobs never end is given up after the timeout (exit 3); a
 * customer is refused (exit 2), as is a search that finds nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class BulkCommandTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;

    final CliRun cli = new CliRun();
    TenantEntity tenant;
    String prefix;
    List<UUID> made = new ArrayList<>();

    @BeforeEach
    void twoRunningJails() {
        data.node("cli-bulk-node", 10L << 30);
        tenant = data.tenant("cli-bulk");
        prefix = "clibulk-" + UUID.randomUUID().toString().substring(0, 6);
        for (String name : List.of("a", "b")) {
            UUID unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "cli-bulk-node", "256M",
                    prefix + "-" + name + ".example.com", data.freeAddress(), null), "staff")).unitId();
            jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unit).update();
            jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
            made.add(unit);
        }
    }

    private int bulk(String user, String... args) {
        return cli.run(BulkCommand::run, port, user, args);
    }

    private String said() {
        return cli.said();
    }

    @Test
    void stopsWhatASearchFindsAndFollowsTheBatchToItsEnd() throws Exception {
        // The worker's part: end each queued STOP_JAIL job of these units OK (bounded: 20 s).
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 80; i++) {
                int ended = jdbc.sql("update provisioning_job set state = 'OK', finished_at = now()"
                        + " where unit_id in (:u) and kind = 'STOP_JAIL' and state = 'ENQUEUED'").param("u", made).update();
                if (ended > 0 && jdbc.sql("select count(*) from provisioning_job where unit_id in (:u) and kind = 'STOP_JAIL'"
                        + " and state = 'OK'").param("u", made).query(Long.class).single() == 2) {
                    return;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        assertThat(bulk(data.staff(), "stop", "--search", prefix, "--timeout", "PT30S")).as(said()).isZero();
        worker.get();
        assertThat(said()).containsPattern("batch [0-9a-f-]{36}: stop of 2 unit\\(s\\)")
                .contains("OK 2, KO 0, skipped 0").contains("exit status: OK");
        assertThat(jdbc.sql("select count(*) from job_batch_item i join provisioning_job j on j.id = i.job_id"
                + " where j.unit_id in (:u) and j.kind = 'STOP_JAIL'").param("u", made).query(Long.class).single())
                .as("the web's service made one job per unit, in a batch").isEqualTo(2);
    }

    @Test
    void givesUpAfterTheTimeoutAndSaysTheRefusals() {
        assertThat(bulk(data.staff(), "restart", "--unit", made.get(0).toString(), "--timeout", "PT1S")).as(said())
                .isEqualTo(PortalCommand.FAILED);
        assertThat(said()).contains("queued 1, running 0").contains("gave up waiting after PT1S; the jobs go on");

        assertThat(bulk(data.customer(tenant), "stop", "--unit", made.get(1).toString())).isEqualTo(PortalCommand.REFUSED);
        assertThat(said()).contains("the portal answered 403");
        assertThat(bulk(data.staff(), "stop", "--search", prefix + "-nothing")).isEqualTo(PortalCommand.REFUSED);
        assertThat(said()).contains("no unit matches");
        assertThat(bulk(data.staff(), "stop")).as("neither ids nor a search").isEqualTo(PortalCommand.REFUSED);
    }
}
