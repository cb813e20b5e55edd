package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;
import org.lodge.provisioning.usage.UsageQueries;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A unit's usage charts, for its tenant's customers and for staff; another tenant's unit is not found. */
@Service
public class UsageService {

    private final JdbcClient jdbc;
    private final UsageQueries queries;

    public UsageService(JdbcClient jdbc, UsageQueries queries) {
        this.jdbc = jdbc;
        this.queries = queries;
    }

    public UsageSeries usage(UUID unitId, String range, TenantScope scope) {
        UsageRange parsed = UsageRange.parse(range);
        UUID owner = jdbc.sql("select tenant_id from unit where id = :id").param("id", unitId).query(UUID.class)
                .optional().filter(scope::allows).orElseThrow(() -> new NotFoundException("unit " + unitId));
        return queries.series(unitId, owner, parsed, Instant.now());
    }
}
