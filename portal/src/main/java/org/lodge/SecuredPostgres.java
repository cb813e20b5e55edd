package org.lodge;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.lodge.provisioning.SecretFile;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL (zonky's binaries) with what zonky leaves open closed: a generated
 * superuser password (SCRAM) kept in a 0600 file, every connection authenticated, TCP on
 * 127.0.0.1 only and no UNIX socket. A data directory made before this (trust for everyone) is
 * brought to the same state at its next start, and what a {@code kill -9} left behind is cleared
 * first ({@link StalePostmaster}).
 */
public final class SecuredPostgres implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(SecuredPostgres.class);
    public static final String SUPERUSER = "postgres";
    private static final int PASSWORD_BYTES = 32;
    static final String HBA = """
            # Written by Lodge at every start: every connection needs the password (SCRAM).
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;

    private SecuredPostgres(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts the server on {@code dataDir} ({@code port} 0: any free port), creating the directory if new. */
    public static SecuredPostgres start(Path dataDir, int port, Path passwordFile) throws IOException {
        Path data = Files.createDirectories(dataDir.toAbsolutePath());
        String password = SecretFile.readOrCreate(passwordFile, PASSWORD_BYTES);
        StalePostmaster.clear(data);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky hands these options to pg_ctl's shell: '' is the empty list, no socket file.
                .setServerConfig("unix_socket_directories", "''")
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky passes its "locale" options to initdb verbatim: a new cluster is created
                // with the password and SCRAM for every connection, never trusting anyone.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                .setConnectConfig("password", password)
                .setPGStartupWait(Duration.ofSeconds(30));
        if (port > 0) {
            builder.setPort(port);
        }
        SecuredPostgres secured = new SecuredPostgres(builder.start(), password);
        secured.requirePasswords(data.resolve("pg_hba.conf"));
        log.info("embedded PostgreSQL on 127.0.0.1:{} with data in {}, password in {}", secured.port(), data,
                passwordFile);
        return secured;
    }

    /**
     * Directories initialised by zonky alone trust every local user: set the password, then
     * require it everywhere. Each start checks, so an edited pg_hba.conf is put back too.
     */
    private void requirePasswords(Path hbaFile) throws IOException {
        if (Files.readString(hbaFile).equals(HBA)) {
            return;
        }
        try (Connection connection = connect(password)) {
            // pgjdbc computes the SCRAM verifier itself: the clear password never reaches the server.
            connection.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
            Files.writeString(hbaFile, HBA);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select pg_reload_conf()");
            }
            log.info("embedded PostgreSQL now requires its password for every connection");
        } catch (SQLException e) {
            throw new IOException("could not secure the embedded PostgreSQL", e);
        }
    }

    /** A connection as the superuser with the given password (tests try wrong ones). */
    public Connection connect(String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    public String jdbcUrl() {
        return jdbcUrl(port());
    }

    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
