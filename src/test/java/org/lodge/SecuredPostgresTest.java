package org.lodge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL lets in only who has its generated password, on 127.0.0.1 only. */
class SecuredPostgresTest {

    @TempDir
    Path dir;

    @Test
    void refusesConnectionsWithoutThePasswordOrWithAWrongOne() throws Exception {
        Path passwordFile = dir.resolve("db.password");
        try (SecuredPostgres postgres = SecuredPostgres.start(dir.resolve("pg"), 0, passwordFile)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(postgres.password()).isEqualTo(Files.readString(passwordFile).strip()).hasSizeGreaterThan(40);

            assertRefused(postgres, null);
            assertRefused(postgres, "wrong-" + postgres.password());
            try (Connection connection = postgres.connect(postgres.password())) {
                assertThat(setting(connection, "listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(setting(connection, "unix_socket_directories")).isEmpty();
                assertThat(query(connection, "select rolpassword from pg_authid where rolname = 'postgres'"))
                        .startsWith("SCRAM-SHA-256$");
            }
        }
    }

    @Test
    void securesADataDirectoryMadeBeforeItHadAPasswordAndKeepsItAcrossRestarts() throws Exception {
        Path data = dir.resolve("old");
        // What Lodge made before: zonky's defaults, every local user trusted.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             Connection trusted = old.getPostgresDatabase().getConnection()) {
            assertThat(query(trusted, "select 'in without a password'")).isEqualTo("in without a password");
        }
        Path passwordFile = dir.resolve("old.password");
        for (int start = 0; start < 2; start++) {
            try (SecuredPostgres postgres = SecuredPostgres.start(data, 0, passwordFile)) {
                assertRefused(postgres, null);
                try (Connection connection = postgres.connect(postgres.password())) {
                    assertThat(query(connection, "select 'in with the password'")).isEqualTo("in with the password");
                }
            }
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).isEqualTo(SecuredPostgres.HBA);
    }

    private static void assertRefused(SecuredPostgres postgres, String password) {
        assertThatThrownBy(() -> postgres.connect(password).close()).isInstanceOf(SQLException.class)
                .hasMessageMatching("(?s).*(password authentication failed|no password was provided).*");
    }

    private static String setting(Connection connection, String name) throws SQLException {
        return query(connection, "select current_setting('" + name + "')");
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
