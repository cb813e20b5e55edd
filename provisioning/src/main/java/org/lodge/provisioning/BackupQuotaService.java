package org.lodge.provisioning;

import java.util.UUID;
import org.lodge.provisioning.backup.BackupQuotas;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.unit.DataSize;

/**
 * A tenant's backup quota (docs/backups.md, "Quota"): staff set it; the tenant's customers and
 * staff read it with the last measured use. Another tenant answers as missing.
 */
@Service
public class BackupQuotaService {

    /** Largest quota accepted: 1 PiB. */
    static final long MAX = 1L << 50;

    private final BackupQuotas quotas;

    public BackupQuotaService(BackupQuotas quotas) {
        this.quotas = quotas;
    }

    /** The quota (null: none) and what the tenant's backups take, as last measured after a backup. */
    @Transactional(readOnly = true)
    public BackupQuotaView usage(UUID tenantId, TenantScope scope) {
        if (!scope.allows(tenantId) || !quotas.exists(tenantId)) {
            throw NotFoundException.of("tenant", tenantId);
        }
        return quotas.usage(tenantId);
    }

    /** Sets the quota ({@code "20GB"}, {@code "500MB"}, plain bytes) or removes it (null or blank): staff. */
    @Transactional
    @StaffOnly
    public void setQuota(UUID tenantId, String quota) {
        Long bytes = parse(quota);
        if (!quotas.setQuota(tenantId, bytes)) {
            throw NotFoundException.of("tenant", tenantId);
        }
    }

    static Long parse(String quota) {
        if (quota == null || quota.isBlank()) {
            return null;
        }
        long bytes;
        try {
            bytes = DataSize.parse(quota.strip().toUpperCase(java.util.Locale.ROOT)).toBytes();
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("quota", "'" + quota + "' is not a size; write e.g. 20GB, 500MB or a"
                    + " number of bytes (empty: no quota)", "backup-quota.size", InvalidInputException.quote(quota));
        }
        if (bytes < 0 || bytes > MAX) {
            throw InvalidRequestException.of("quota", "'" + quota + "' is outside 0 B – 1 PB", "backup-quota.range",
                    InvalidInputException.quote(quota));
        }
        return bytes;
    }

    /** Refuses a backup before any job exists when the tenant's backups already fill its quota. */
    @Transactional(readOnly = true)
    public void refuseWhenFull(UUID tenantId, String unitLabel) {
        BackupQuotaView usage = quotas.usage(tenantId);
        if (usage.quotaBytes() != null && usage.usedBytes() >= usage.quotaBytes()) {
            throw InvalidRequestException.of("action", "the backups of " + unitLabel + "'s tenant already take "
                    + usage.usedBytes() + " bytes of a quota of " + usage.quotaBytes() + " bytes: delete or unprotect"
                    + " old backups, or ask staff for a larger quota", "backup-quota.full", unitLabel,
                    String.valueOf(usage.usedBytes()), String.valueOf(usage.quotaBytes()));
        }
    }
}
