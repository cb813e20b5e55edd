package org.lodge.provisioning.backup;

import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.BackupPolicyService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads a stored backup policy (a tenant's default, or a unit's own) as the forms show it. */
@Component
public class BackupPolicies {

    private final JdbcClient jdbc;

    public BackupPolicies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's default ({@code unitId} null) or the unit's own policy, if there is one. */
    public Optional<BackupPolicyService.Schedule> of(UUID tenantId, UUID unitId) {
        String which = unitId == null ? "tenant_id = :t and unit_id is null" : "unit_id = :u";
        return jdbc.sql("select cron, jitter_seconds, enabled, keep_last, keep_hourly, keep_daily, keep_weekly,"
                        + " keep_monthly, keep_yearly from backup_policy where " + which)
                .param("t", tenantId).param("u", unitId)
                .query((rs, n) -> new BackupPolicyService.Schedule(rs.getString(1), rs.getInt(2), rs.getBoolean(3),
                        rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9)))
                .optional();
    }
}
