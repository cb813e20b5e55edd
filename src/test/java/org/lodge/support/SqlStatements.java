package org.lodge.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Counts the SQL statements a piece of code prepares on the current thread, whichever way it
 * reaches the database (JPA, JdbcClient, the tenant settings of TenantConnections): for tests
 * that a page asks the database a bounded number of times, however many rows it shows (no N+1).
 * Every DataSource bean of a test context is wrapped; nothing is counted outside {@link #count}.
 */
@Component
public class SqlStatements implements BeanPostProcessor {

    /** What is measured. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private static final Set<String> STATEMENTS = Set.of("prepareStatement", "prepareCall", "createStatement");
    private static final ThreadLocal<int[]> COUNTING = new ThreadLocal<>();
    private static final ThreadLocal<int[]> CONNECTIONS = new ThreadLocal<>();

    /** The statements {@code work} prepared on this thread (MockMvc requests run on it). */
    public static int count(Work work) throws Exception {
        return counted(COUNTING, work);
    }

    /**
     * The connections {@code work} took from the pool on this thread: one per transaction, or per
     * statement run outside any (each a begin and commit of its own, and a pool check-out).
     */
    public static int connections(Work work) throws Exception {
        return counted(CONNECTIONS, work);
    }

    private static int counted(ThreadLocal<int[]> counter, Work work) throws Exception {
        int[] counted = {0};
        counter.set(counted);
        try {
            work.run();
        } finally {
            counter.remove();
        }
        return counted[0];
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource && !(bean instanceof Counting) ? new Counting(dataSource) : bean;
    }

    /** Hands out connections that count; closes the pool behind it like the data source it wraps. */
    static final class Counting extends DelegatingDataSource implements AutoCloseable {

        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counting(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counting(super.getConnection(username, password));
        }

        @Override
        public void close() throws Exception {
            if (getTargetDataSource() instanceof AutoCloseable target) {
                target.close();
            }
        }

        private static Connection counting(Connection connection) {
            int[] taken = CONNECTIONS.get();
            if (taken != null) {
                taken[0]++;
            }
            return (Connection) Proxy.newProxyInstance(SqlStatements.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        int[] counted = COUNTING.get();
                        if (counted != null && STATEMENTS.contains(method.getName())) {
                            counted[0]++;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
