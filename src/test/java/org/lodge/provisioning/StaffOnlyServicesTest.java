package org.lodge.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.test.context.support.WithMockUser;

/**
 * The services check the caller's role themselves: a customer who reaches a staff-only method
 * directly (past every URL rule) is denied and audited, and nothing is queued.
 */
@PortalOnlyTest
class StaffOnlyServicesTest {

    private static final String NODE = "staff-only-node";
    private static final String CUSTOMER = "customer-calling-directly";

    @Autowired
    UnitService units;
    @Autowired
    UnitActionService actions;
    @Autowired
    NodeService nodes;
    @Autowired
    BackupService backups;
    @Autowired
    BackupPolicyService policies;
    @Autowired
    BackupDeletionService deletion;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    UUID tenant;
    UUID unit;

    @BeforeEach
    void aUnitOfTheCustomersTenant() {
        data.node(NODE, 10L << 30);
        tenant = data.tenant("staff-only").getId();
        unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant, NODE, "256M",
                "s" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"))
                .unitId();
    }

    private long jobs() {
        return jdbc.sql("select count(*) from provisioning_job").query(Long.class).single();
    }

    private long denials() {
        return jdbc.sql("select count(*) from audit_event where principal = :p and kind = 'ACCESS_DENIED'")
                .param("p", CUSTOMER).query(Long.class).single();
    }

    @Test
    @WithMockUser(username = CUSTOMER, roles = "CUSTOMER")
    void aCustomerCallingStaffOnlyMethodsDirectlyIsDeniedAndAudited() {
        TenantScope own = TenantScope.of(tenant);
        long jobsBefore = jobs();
        long denialsBefore = denials();

        assertThatThrownBy(() -> units.requestUnit(UnitRequest.jail(tenant, NODE, "256M", "x.example.com",
                data.freeAddress(), null), CUSTOMER)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.requestGrow(unit, "1G", own, CUSTOMER)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.requestAction(unit, UnitAction.DELETE, own, CUSTOMER))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.requestExport(unit, "qcow2", own, CUSTOMER))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> nodes.nodes()).isInstanceOf(AccessDeniedException.class);

        assertThat(jobs()).as("nothing was queued").isEqualTo(jobsBefore);
        assertThat(denials() - denialsBefore).as("each denial is audited").isEqualTo(5);
    }

    /** Backups are self-service; their schedules, the list of every tenant's backups and deleting one are not. */
    @Test
    @WithMockUser(username = CUSTOMER, roles = "CUSTOMER")
    void aCustomerCannotSetBackupSchedulesNorListEveryBackup() {
        TenantScope own = TenantScope.of(tenant);
        long denialsBefore = denials();
        BackupPolicyService.Schedule nightly = new BackupPolicyService.Schedule("0 0 3 * * ?", 0, true, null, null, 7, null, null, null);
        assertThatThrownBy(() -> policies.setUnitSchedule(unit, nightly, own)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> policies.setTenantSchedule(tenant, nightly)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> backups.listAll(10)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> deletion.requestDeletion(unit, UUID.randomUUID(), own, CUSTOMER))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(backups.list(unit, own)).as("their own unit's list is theirs").isEmpty();
        assertThat(jdbc.sql("select count(*) from backup_policy where tenant_id = :t").param("t", tenant)
                .query(Long.class).single()).isZero();
        assertThat(denials() - denialsBefore).isEqualTo(4);
    }

    @Test
    @WithMockUser(username = CUSTOMER, roles = "CUSTOMER")
    void aCustomerMayStillControlThePowerOfTheirOwnUnit() {
        // As the worker leaves a created jail: its creation job OK, the jail running.
        jdbc.sql("update provisioning_job set state = 'OK' where unit_id = :u").param("u", unit).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
        JobView stop = actions.requestAction(unit, UnitAction.STOP, TenantScope.of(tenant), CUSTOMER);
        assertThat(stop.kind()).isEqualTo(JobKind.STOP_JAIL);
    }

    @Test
    void aCallWithNoUserAtAllIsRefused() {
        assertThatThrownBy(() -> nodes.nodes()).isInstanceOf(AuthenticationCredentialsNotFoundException.class);
    }

    @Test
    void staffMayCallThem() {
        assertThat(AsStaff.call(() -> nodes.nodes())).extracting(NodeView::name).contains(NODE);
    }
}
