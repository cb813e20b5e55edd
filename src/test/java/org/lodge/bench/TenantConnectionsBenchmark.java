package org.lodge.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.SecuredPostgres;
import org.lodge.TenantConnections;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * What the tenant backstop costs per connection checkout: the same pool (one warm connection to
 * the embedded PostgreSQL) checked out and used for one {@code select 1}, bare and through
 * {@link TenantConnections} with no user and with a customer. Prints mean microseconds per
 * checkout; run with {@code ./lodge bench -Dtest=TenantConnectionsBenchmark}.
 */
@PortalOnlyTest
@Tag("bench")
class TenantConnectionsBenchmark {

    private static final int CHECKOUTS = 5_000;
    private static final int ROUNDS = 5;

    @Autowired
    SecuredPostgres postgres;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void costPerCheckout() throws SQLException {
        UserDetails customer = users.loadUserByUsername(data.customer(data.tenant("bench-rls")));
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(postgres.jdbcUrl());
            pool.setUsername(SecuredPostgres.SUPERUSER);
            pool.setPassword(postgres.password());
            pool.setMaximumPoolSize(1);
            TenantConnections wrapped = new TenantConnections(pool);
            double bare = Double.MAX_VALUE;
            double staff = Double.MAX_VALUE;
            double tenant = Double.MAX_VALUE;
            double alternating = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                bare = Math.min(bare, micros(pool, () -> { }));
                staff = Math.min(staff, micros(wrapped, () -> { }));
                logIn(customer);
                tenant = Math.min(tenant, micros(wrapped, () -> { }));
                // The worst case: every checkout has a new user (customer, nobody, customer, ...).
                alternating = Math.min(alternating, micros(wrapped, () -> {
                    if (SecurityContextHolder.getContext().getAuthentication() == null) {
                        logIn(customer);
                    } else {
                        SecurityContextHolder.clearContext();
                    }
                }));
                SecurityContextHolder.clearContext();
            }
            System.out.printf("%n| checkout + select 1 (best of %d rounds of %d) | µs per checkout |%n|---|---|%n"
                    + "| bare pool | %.1f |%n| TenantConnections, no user each time | %.1f |%n"
                    + "| TenantConnections, the same customer each time | %.1f |%n"
                    + "| TenantConnections, customer and no user alternating | %.1f |%n%n",
                    ROUNDS, CHECKOUTS, bare, staff, tenant, alternating);
        }
    }

    private static void logIn(UserDetails user) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                user, null, user.getAuthorities()));
    }

    private static double micros(DataSource source, Runnable beforeEach) throws SQLException {
        long start = System.nanoTime();
        for (int i = 0; i < CHECKOUTS; i++) {
            beforeEach.run();
            try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select 1")) {
                rows.next();
            }
        }
        return (System.nanoTime() - start) / 1e3 / CHECKOUTS;
    }
}
