package org.lodge;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
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
    static final String SERVER_LOG = "postgres.log";
    static final String HBA = """
            # Written by Lodge at every start: every connection needs the password (SCRAM).
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            """;

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final PostgresPrograms programs;
    private final Path data;
    private final int port;
    private final String password;
    private final DataDirectoryLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SecuredPostgres(PostgresPrograms programs, Path data, int port, String password, DataDirectoryLock lock) {
        this.programs = programs;
        this.data = data;
        this.port = port;
        this.password = password;
        this.lock = lock;
    }

    /**
     * A durable server on {@code dataDir} ({@code port} 0: any free port), creating the directory
     * if new, stopped by {@link #close()} or else when this JVM exits.
     */
    public static SecuredPostgres start(Path dataDir, int port, Path passwordFile) throws IOException {
        SecuredPostgres postgres = startClosedByOwner(dataDir, port, passwordFile, true);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::closeQuietly, "lodge-postgres-stop"));
        return postgres;
    }

    /**
     * A server only {@link #close()} stops: Spring closes it after the beans that use it, where a
     * JVM shutdown hook would stop it while they still work. {@code durable=false} (tests) turns
     * fsync and synchronous commits off.
     */
    public static SecuredPostgres startClosedByOwner(Path dataDir, int port, Path passwordFile, boolean durable)
            throws IOException {
        Path data = Files.createDirectories(dataDir.toAbsolutePath());
        String password = SecretFile.readOrCreate(passwordFile, PASSWORD_BYTES);
        StalePostmaster.clear(data);
        PostgresPrograms programs = PostgresPrograms.unpacked();
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            // A new cluster is created with the password and SCRAM for every connection.
            programs.initdb(data, passwordFile.toAbsolutePath());
        }
        DataDirectoryLock lock = DataDirectoryLock.hold(data);
        int chosenPort = port > 0 ? port : freePort();
        SecuredPostgres secured = new SecuredPostgres(programs, data, chosenPort, password, lock);
        try {
            programs.pgCtl(List.of("-D", data.toString(), "-l", data.resolve(SERVER_LOG).toString(), "-o",
                    serverOptions(chosenPort, durable), "-w", "-t", "60", "start"));
            secured.requirePasswords(data.resolve("pg_hba.conf"));
        } catch (IOException | RuntimeException e) {
            secured.close();
            throw e;
        }
        log.info("embedded PostgreSQL on 127.0.0.1:{} with data in {}, password in {}", chosenPort, data, passwordFile);
        return secured;
    }

    /** pg_ctl hands {@code -o} to a shell: only fixed words and a number go in. */
    private static String serverOptions(int port, boolean durable) {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=''",
                "-c", "password_encryption=scram-sha-256", "-c", "max_connections=300", "-c", "timezone=UTC"));
        if (!durable) {
            options.addAll(List.of("-F", "-c", "synchronous_commit=off"));
        }
        return String.join(" ", options);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            log.warn("could not stop the embedded PostgreSQL in {}", data, e);
        }
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
        return port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                programs.pgCtl(List.of("-D", data.toString(), "-m", "fast", "-w", "-t",
                        Long.toString(STOP_WAIT.toSeconds()), "stop"));
            }
        } finally {
            lock.close();
        }
    }
}
