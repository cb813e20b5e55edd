package org.lodge.provisioning.backup;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A tenant's backup quota ({@code tenant.backup_quota_bytes}, null = none) and what its
 * snapshots take, measured per repository ({@code backup_usage}) by the worker after each backup.
 */
@Component
public class BackupQuotas {

    private final JdbcClient jdbc;

    public BackupQuotas(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(UUID tenantId) {
        return jdbc.sql("select count(*) from tenant where id = :t").param("t", tenantId).query(Long.class).single() > 0;
    }

    public Optional<Long> quotaOf(UUID tenantId) {
        return jdbc.sql("select backup_quota_bytes from tenant where id = :t").param("t", tenantId)
                .query((rs, n) -> (Long) rs.getObject(1)).optional().flatMap(Optional::ofNullable);
    }

    /** False when there is no such tenant. */
    public boolean setQuota(UUID tenantId, Long bytes) {
        return jdbc.sql("update tenant set backup_quota_bytes = :q where id = :t").param("q", bytes)
                .param("t", tenantId).update() == 1;
    }

    public org.lodge.provisioning.BackupQuotaView usage(UUID tenantId) {
        Long quota = quotaOf(tenantId).orElse(null);
        return jdbc.sql("select coalesce(sum(used_bytes), 0), coalesce(sum(snapshots), 0), max(measured_at)"
                        + " from backup_usage where tenant_id = :t").param("t", tenantId)
                .query((rs, n) -> new org.lodge.provisioning.BackupQuotaView(quota, rs.getLong(1), rs.getInt(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .single();
    }

    /** The snapshots of the tenant's backups in the repository that count: taken and not failed. */
    List<String> snapshots(UUID tenantId, String repository) {
        // Each once: backups with nothing written since another share its snapshot.
        return jdbc.sql("select snapshot_id from backup where tenant_id = :t and repository = :r"
                        + " and snapshot_id is not null and outcome <> 'KO' group by snapshot_id order by min(taken_at)")
                .param("t", tenantId).param("r", repository).query(String.class).list();
    }

    /** What the tenant's snapshots take in its other repositories, as last measured there. */
    long usedElsewhere(UUID tenantId, String repository) {
        return jdbc.sql("select coalesce(sum(used_bytes), 0) from backup_usage where tenant_id = :t and repository <> :r")
                .param("t", tenantId).param("r", repository).query(Long.class).single();
    }

    /** Records what the tenant's snapshots {@code ids} take in the repository. */
    void measured(UUID tenantId, String repository, long usedBytes, List<String> ids, Instant at) {
        jdbc.sql("""
                insert into backup_usage (tenant_id, repository, used_bytes, snapshots, snapshot_set, measured_at)
                values (:t, :r, :u, :s, :set, :at)
                on conflict (tenant_id, repository)
                do update set used_bytes = excluded.used_bytes, snapshots = excluded.snapshots,
                              snapshot_set = excluded.snapshot_set, measured_at = excluded.measured_at""")
                .param("t", tenantId).param("r", repository).param("u", usedBytes).param("s", ids.size())
                .param("set", fingerprint(ids)).param("at", Timestamp.from(at)).update();
    }

    /** The last measure in the repository if it covered exactly the snapshots {@code ids}. */
    Optional<Long> measuredOver(UUID tenantId, String repository, List<String> ids) {
        return jdbc.sql("select used_bytes from backup_usage where tenant_id = :t and repository = :r"
                        + " and snapshot_set = :set").param("t", tenantId).param("r", repository)
                .param("set", fingerprint(ids)).query(Long.class).optional();
    }

    /** SHA-256 (hex) of the sorted snapshot ids: which snapshots a measure covered, in one column. */
    static String fingerprint(List<String> ids) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    String.join("\n", ids.stream().sorted().toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The backup is refused with its reason; its own snapshot left the repository. */
    void refused(UUID backupId, org.lodge.provisioning.Phrase reason) {
        jdbc.sql("update backup set snapshot_id = null, " + Backups.REASON + " where id = :id")
                .params(Backups.reasonParams(reason)).param("id", backupId).update();
    }
}
