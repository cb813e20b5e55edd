package org.lodge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.lodge.provisioning.ScopedCaller;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The database half of the tenant backstop (row-level security, migration V10): every connection
 * handed out is first set for whoever asks on this thread. A logged-in customer gets the role
 * {@value #ROLE} and {@code lodge.tenant_id} = their tenant, so the policies show and let them
 * change only their tenant's rows, whatever the query says; everyone else (staff, no user, the
 * worker's and Quartz's threads, Flyway) gets the connecting user back and an empty setting: every
 * row. Each checkout sets the connection for its new user (no reset at return to forget), so a
 * pooled connection cannot carry a customer's tenant to its next user.
 */
public final class TenantConnections extends DelegatingDataSource implements AutoCloseable {

    /** The role of customers' requests: never a superuser or owner, so row security applies to it. */
    public static final String ROLE = "lodge_tenant";
    // One round trip; 'none' is SET ROLE NONE: back to the user that connected.
    private static final String APPLY = "select set_config('lodge.tenant_id', ?, false), set_config('role', ?, false)";

    // What each physical connection was last set to, so a checkout that would change nothing
    // (the worker's, Quartz's, staff's, mostly) costs no round trip. Unknown connections are set.
    private final Map<Connection, String> applied = Collections.synchronizedMap(new WeakHashMap<>());

    public TenantConnections(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return apply(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return apply(super.getConnection(username, password));
    }

    /** The tenant whose rows this thread may touch; empty: every tenant's. */
    static Optional<UUID> currentTenant() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof ScopedCaller caller) {
            return caller.scope().tenantId();
        }
        return Optional.empty();
    }

    private Connection apply(Connection connection) throws SQLException {
        String tenant = currentTenant().map(UUID::toString).orElse("");
        try {
            Connection physical = physical(connection);
            if (tenant.equals(applied.get(physical))) {
                return connection;
            }
            try (PreparedStatement statement = connection.prepareStatement(APPLY)) {
                statement.setString(1, tenant);
                statement.setString(2, tenant.isEmpty() ? "none" : ROLE);
                statement.execute();
            }
            // In a transaction a rollback would undo the settings and bring back the previous user's.
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            applied.put(physical, tenant);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The driver's connection behind the pool's proxy: the same one at every checkout. */
    private static Connection physical(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class) ? (Connection) connection.unwrap(PGConnection.class) : connection;
    }

    /** Closes the pool behind it (the container closes the wrapper it sees, not the pool). */
    @Override
    public void close() throws Exception {
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    /** Wraps every DataSource bean, whichever configuration made it (embedded or external). */
    @Component
    static class Installer implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            return bean instanceof DataSource dataSource && !(bean instanceof TenantConnections)
                    ? new TenantConnections(dataSource) : bean;
        }
    }
}
