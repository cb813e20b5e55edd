package org.lodge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The database backstop (V10's row-level security and {@link TenantConnections}): with a customer
 * of tenant A logged in, queries that forget the tenant, native or through a repository, neither
 * see nor change tenant B's rows; staff and threads without a user still see every row, also on a
 * pooled connection a customer used just before.
 */
@PortalOnlyTest
class TenantRowSecurityTest {

    @Autowired
    UnitService units;

    @Autowired

    UnitActionService actions;
    @Autowired
    UnitRepository unitRepository;
    @Autowired
    JobRepository jobRepository;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    SecuredPostgres postgres;

    TenantEntity a;
    TenantEntity b;
    JobView jobOfA;
    JobView jobOfB;

    @BeforeEach
    void twoTenantsWithAUnitAndAJobEach() {
        data.node("rls-node", 10L << 30);
        a = data.tenant("rls-a");
        b = data.tenant("rls-b");
        jobOfA = create(a);
        jobOfB = create(b);
    }

    @AfterEach
    void logOutAndFreeTheAddresses() {
        SecurityContextHolder.clearContext();
        // Other tests of this shared database pick fixed addresses of the same pool.
        jdbc.sql("delete from ip_assignment where unit_id in (:a, :b)").param("a", jobOfA.unitId())
                .param("b", jobOfB.unitId()).update();
    }

    private JobView create(TenantEntity tenant) {
        return AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "rls-node", "256M",
                "r" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"));
    }

    private void logInAsCustomerOf(TenantEntity tenant) {
        UserDetails customer = users.loadUserByUsername(data.customer(tenant));
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                customer, null, customer.getAuthorities()));
    }

    private int count(String table, String column, UUID id) {
        return jdbc.sql("select count(*) from " + table + " where " + column + " = :id").param("id", id)
                .query(Integer.class).single();
    }

    @Test
    void aCustomersQueriesWithoutATenantConditionSeeOnlyTheirTenantsRows() {
        logInAsCustomerOf(a);

        assertThat(count("unit", "id", jobOfB.unitId())).isZero();
        assertThat(count("provisioning_job", "id", jobOfB.id())).isZero();
        assertThat(count("job_log", "job_id", jobOfB.id())).isZero();
        assertThat(count("job_transition", "job_id", jobOfB.id())).isZero();
        assertThat(count("ip_assignment", "unit_id", jobOfB.unitId())).isZero();
        assertThat(unitRepository.findById(jobOfB.unitId())).isEmpty();
        assertThat(jobRepository.findById(jobOfB.id())).isEmpty();
        assertThat(jdbc.sql("select distinct tenant_id from unit").query(UUID.class).list()).containsExactly(a.getId());

        assertThat(count("unit", "id", jobOfA.unitId())).isOne();
        assertThat(count("job_log", "job_id", jobOfA.id())).isPositive();
        assertThat(unitRepository.findById(jobOfA.unitId())).isPresent();
    }

    @Test
    void aCustomersWritesCannotReachOrCreateAnotherTenantsRows() {
        logInAsCustomerOf(a);

        assertThat(jdbc.sql("update unit set memory_mib = memory_mib + 1 where id = :id").param("id", jobOfB.unitId())
                .update()).isZero();
        assertThat(jdbc.sql("update job_log set message = 'x' where job_id = :id").param("id", jobOfB.id()).update())
                .isZero();
        assertThat(jdbc.sql("delete from provisioning_job where id = :id").param("id", jobOfB.id()).update()).isZero();
        assertThatThrownBy(() -> jdbc.sql("insert into job_log (job_id, step, level, message) values (:id, 's', 'INFO', 'm')")
                .param("id", jobOfB.id()).update()).rootCause().hasMessageContaining("row-level security");
        // Nor can a row of A's be handed to B.
        assertThatThrownBy(() -> jdbc.sql("update unit set tenant_id = :b where id = :id")
                .param("b", jobOfB.tenantId()).param("id", jobOfA.unitId()).update())
                .rootCause().hasMessageContaining("row-level security");

        SecurityContextHolder.clearContext();
        assertThat(count("unit", "id", jobOfB.unitId())).isOne();
        assertThat(count("provisioning_job", "id", jobOfB.id())).isOne();
    }

    @Test
    void everyTableThatBelongsToATenantHasTheBackstop() {
        // Tenant-owned: a tenant column, or a link to a unit, job, invoice or subscription. app_user
        // is read at login, before anyone's tenant is known: it is scoped by the services.
        List<String> unguarded = jdbc.sql("""
                select distinct c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
                 where n.nspname = 'public' and c.relkind = 'r'
                   and a.attname in ('tenant_id', 'unit_id', 'job_id', 'invoice_id', 'subscription_id')
                   and c.relname not in ('app_user', 'event_publication', 'event_publication_archive')
                   and not (c.relrowsecurity and c.relforcerowsecurity
                            and exists (select 1 from pg_policy p where p.polrelid = c.oid))
                 order by 1""").query(String.class).list();
        assertThat(unguarded).as("tenant-owned tables without row-level security").isEmpty();
    }

    @Test
    void aCustomerStillControlsThePowerOfTheirOwnUnit() {
        // As the worker leaves a created jail: its creation job OK, the jail running.
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j").param("j", jobOfA.id()).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", jobOfA.unitId()).update();
        logInAsCustomerOf(a);

        // Job, transition and log line written under the customer's row security.
        JobView stop = actions.requestAction(jobOfA.unitId(), UnitAction.STOP, TenantScope.of(a.getId()), "customer");

        assertThat(stop.kind()).isEqualTo(JobKind.STOP_JAIL);
        assertThat(count("job_log", "job_id", stop.id())).isPositive();
    }

    @Test
    void staffAndThreadsWithoutAUserSeeEveryTenant() throws InterruptedException {
        AsStaff.run(() -> assertThat(count("unit", "id", jobOfB.unitId())).isOne());
        assertThat(count("job_log", "job_id", jobOfB.id())).isPositive();

        logInAsCustomerOf(a);
        int[] seenByAWorkerThread = new int[1];
        Thread worker = new Thread(() -> seenByAWorkerThread[0] = count("unit", "id", jobOfB.unitId()));
        worker.start();
        worker.join(10_000);
        assertThat(seenByAWorkerThread[0]).isOne();
    }

    @Test
    void aPooledConnectionACustomerUsedIsCleanForItsNextUser() throws SQLException {
        // One connection in the pool: the staff checkout gets the very connection the customer had.
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(postgres.jdbcUrl());
            pool.setUsername(SecuredPostgres.SUPERUSER);
            pool.setPassword(postgres.password());
            pool.setMaximumPoolSize(1);
            TenantConnections connections = new TenantConnections(pool);

            logInAsCustomerOf(a);
            int customersBackend;
            try (Connection connection = connections.getConnection()) {
                customersBackend = backendPid(connection);
                assertThat(single(connection, "select current_user")).isEqualTo(TenantConnections.ROLE);
                assertThat(single(connection, "select current_setting('lodge.tenant_id')")).isEqualTo(a.getId().toString());
                assertThat(single(connection, "select count(*) from unit where id = '" + jobOfB.unitId() + "'")).isEqualTo("0");
            }

            SecurityContextHolder.clearContext();
            try (Connection connection = connections.getConnection()) {
                assertThat(backendPid(connection)).isEqualTo(customersBackend);
                assertThat(single(connection, "select current_user")).isEqualTo(SecuredPostgres.SUPERUSER);
                assertThat(single(connection, "select current_setting('lodge.tenant_id')")).isEmpty();
                assertThat(single(connection, "select count(*) from unit where id = '" + jobOfB.unitId() + "'")).isEqualTo("1");
            }

            logInAsCustomerOf(b);
            try (Connection connection = connections.getConnection()) {
                assertThat(backendPid(connection)).isEqualTo(customersBackend);
                assertThat(single(connection, "select current_setting('lodge.tenant_id')")).isEqualTo(b.getId().toString());
                assertThat(single(connection, "select count(*) from unit where id = '" + jobOfA.unitId() + "'")).isEqualTo("0");
            }
        }
    }

    @Test
    void aRolledBackTransactionDoesNotBringBackThePreviousUsersTenant() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(postgres.jdbcUrl());
            pool.setUsername(SecuredPostgres.SUPERUSER);
            pool.setPassword(postgres.password());
            pool.setMaximumPoolSize(1);
            pool.setAutoCommit(false);
            TenantConnections connections = new TenantConnections(pool);

            logInAsCustomerOf(a);
            try (Connection connection = connections.getConnection()) {
                connection.commit();
            }
            SecurityContextHolder.clearContext();
            try (Connection connection = connections.getConnection()) {
                connection.rollback();
                assertThat(single(connection, "select current_user")).isEqualTo(SecuredPostgres.SUPERUSER);
                assertThat(single(connection, "select current_setting('lodge.tenant_id')")).isEmpty();
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        return Integer.parseInt(single(connection, "select pg_backend_pid()"));
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
