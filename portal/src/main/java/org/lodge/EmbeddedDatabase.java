package org.lodge;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.lodge.provisioning.SecretFile;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The all-in-one default: a real PostgreSQL on this node ({@link SecuredPostgres}), its data kept
 * in {@code lodge.embedded-db.dir}, its generated password in {@code lodge.embedded-db.password-file}.
 * With {@code lodge.embedded-db.mode=start} (default) this process starts it; with {@code connect}
 * another local process started it (the unprivileged portal, when {@code ./lodge run} splits the
 * roles) and this one connects to {@code 127.0.0.1:lodge.embedded-db.port} with the password file.
 * Setting {@code spring.datasource.url} switches all this off for an external PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.datasource", name = "url", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedDatabase {

    // How long a connecting process waits for the starting one (first start extracts binaries).
    private static final Duration WAIT_FOR_STARTER = Duration.ofMinutes(2);

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "lodge.embedded-db.mode", havingValue = "start", matchIfMissing = true)
    SecuredPostgres embeddedPostgres(@Value("${lodge.embedded-db.dir}") String dir,
                                     @Value("${lodge.embedded-db.port:0}") int port,
                                     @Value("${lodge.embedded-db.password-file:}") String passwordFile,
                                     @Value("${lodge.embedded-db.durable:true}") boolean durable) throws IOException {
        Path data = Path.of(dir).toAbsolutePath();
        return SecuredPostgres.startClosedByOwner(data, port, passwordFile(data, passwordFile), durable);
    }

    @Bean
    @Primary
    @FlywayDataSource
    @ConditionalOnProperty(name = "lodge.embedded-db.mode", havingValue = "start", matchIfMissing = true)
    DataSource dataSource(SecuredPostgres postgres) {
        // A pooled datasource on the embedded server, as an external one would get.
        return DataSourceBuilder.create().url(postgres.jdbcUrl()).username(SecuredPostgres.SUPERUSER)
                .password(postgres.password()).build();
    }

    @Bean
    @Primary
    @FlywayDataSource
    @ConditionalOnProperty(name = "lodge.embedded-db.mode", havingValue = "connect")
    DataSource connectedDataSource(@Value("${lodge.embedded-db.dir}") String dir,
                                   @Value("${lodge.embedded-db.port}") int port,
                                   @Value("${lodge.embedded-db.password-file:}") String passwordFile)
            throws IOException, InterruptedException {
        if (port <= 0) {
            throw new IllegalStateException("lodge.embedded-db.mode=connect needs the fixed lodge.embedded-db.port"
                    + " of the process that starts the database");
        }
        Path file = passwordFile(Path.of(dir).toAbsolutePath(), passwordFile);
        HikariDataSource dataSource = DataSourceBuilder.create().type(HikariDataSource.class)
                .url(SecuredPostgres.jdbcUrl(port)).username(SecuredPostgres.SUPERUSER)
                .password(SecretFile.read(awaitFile(file))).build();
        // Started together with the process that owns the database: wait for it, do not fail.
        dataSource.setInitializationFailTimeout(WAIT_FOR_STARTER.toMillis());
        return dataSource;
    }

    /** The configured file, or {@code <data dir>.password} beside the data directory. */
    static Path passwordFile(Path dataDir, String configured) {
        return configured.isBlank() ? dataDir.resolveSibling(dataDir.getFileName() + ".password") : Path.of(configured);
    }

    private static Path awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_FOR_STARTER.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no database password in " + file + " after " + WAIT_FOR_STARTER
                        + ": is the process that starts the embedded database running?");
            }
            Thread.sleep(200);
        }
        return file;
    }
}
