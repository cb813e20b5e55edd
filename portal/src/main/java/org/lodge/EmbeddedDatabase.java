package org.lodge;

import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The all-in-one default: a real PostgreSQL started by this process ({@link SecuredPostgres}),
 * its data kept in {@code lodge.embedded-db.dir}, its generated password in
 * {@code lodge.embedded-db.password-file}. Setting {@code spring.datasource.url} switches it off
 * and the standard Spring datasource (an external PostgreSQL) is used instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.datasource", name = "url", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedDatabase {

    @Bean(destroyMethod = "close")
    SecuredPostgres embeddedPostgres(@Value("${lodge.embedded-db.dir}") String dir,
                                     @Value("${lodge.embedded-db.port:0}") int port,
                                     @Value("${lodge.embedded-db.password-file:}") String passwordFile) throws IOException {
        Path data = Path.of(dir).toAbsolutePath();
        return SecuredPostgres.start(data, port, passwordFile(data, passwordFile));
    }

    @Bean
    @Primary
    @FlywayDataSource
    DataSource dataSource(SecuredPostgres postgres) {
        // A pooled datasource on the embedded server, as an external one would get.
        return DataSourceBuilder.create().url(postgres.jdbcUrl()).username(SecuredPostgres.SUPERUSER)
                .password(postgres.password()).build();
    }

    /** The configured file, or {@code <data dir>.password} beside the data directory. */
    static Path passwordFile(Path dataDir, String configured) {
        return configured.isBlank() ? dataDir.resolveSibling(dataDir.getFileName() + ".password") : Path.of(configured);
    }
}
