package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Schedules of VMs without a worker: the dispatcher queues BACKUP_VM (not BACKUP_JAIL) for a VM's policy. */
@PortalOnlyTest
@AutoConfigureMockMvc
class VmBackupScheduleTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    BackupScheduler scheduler;

    @Test
    void theDispatcherQueuesABackupVmJobForAScheduledVm() throws Exception {
        data.node("vm-sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("vm-sched");
        String domain = "v" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        UUID vm = AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant.getId(), "vm-sched-node", UnitKind.VM,
                "256M", domain, data.freeAddress(), "1", "128", "lodge-test", null), "staff")).unitId();
        // As the worker would leave it after its creation (no worker here).
        jdbc.sql("update provisioning_job set state = 'OK' where unit_id = :u").param("u", vm).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", vm).update();

        mvc.perform(put("/api/units/" + vm + "/backups/schedule").with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"cron\":\"0/2 * * * * ?\",\"jitterSeconds\":0}"))
                .andExpect(status().isNoContent());
        scheduler.dispatch(Instant.now());
        scheduler.dispatch(Instant.now().plusSeconds(10));
        assertThat(jdbc.sql("select kind from provisioning_job where unit_id = :u and created_by = 'schedule'")
                .param("u", vm).query(String.class).list()).containsExactly("BACKUP_VM");
    }
}
