package org.lodge;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The all-in-one default: a real PostgreSQL started in-process, its data kept in
 * {@code lodge.embedded-db.dir}. Setting {@code spring.datasource.url} switches it off and the
 * standard Spring datasource (an external PostgreSQL) is used instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.datasource", name = "url", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${lodge.embedded-db.dir}") String dir,
                                      @Value("${lodge.embedded-db.port:0}") int port) throws IOException {
        Path data = Files.createDirectories(Path.of(dir).toAbsolutePath());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), data);
        return postgres;
    }

    @Bean
    @Primary
    @FlywayDataSource
    DataSource dataSource(EmbeddedPostgres postgres) {
        // A pooled datasource on the embedded server, as an external one would get.
        return DataSourceBuilder.create().url(postgres.getJdbcUrl("postgres", "postgres")).username("postgres").build();
    }
}
