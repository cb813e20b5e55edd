package org.lodge.provisioning;

import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.backup.Backups;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff delete one backup by hand (docs/backups.md, "Deleting a backup"): checked here, before any
 * job exists, then a {@code DELETE_BACKUP} job on the backup's node, whose worker owns the restic
 * repository. Also a backup of a deleted unit (its row is gone, its backups stay for a while).
 */
@Service
public class BackupDeletionService {

    private final Backups backups;
    private final UnitJobs unitJobs;
    private final JdbcClient jdbc;

    public BackupDeletionService(Backups backups, UnitJobs unitJobs, JdbcClient jdbc) {
        this.backups = backups;
        this.unitJobs = unitJobs;
        this.jdbc = jdbc;
    }

    /** The web's form: the domain of the backup's unit typed to confirm. */
    @Transactional
    @StaffOnly
    public JobView requestDeletion(UUID unitId, UUID backupId, String typedDomain, TenantScope scope, String actor) {
        Backups.Origin origin = origin(unitId, backupId, scope);
        if (typedDomain == null || !typedDomain.strip().equalsIgnoreCase(origin.unitDomain())) {
            throw InvalidRequestException.of("confirm", "type " + origin.unitDomain() + " to confirm the deletion",
                    "backup.delete.confirm", origin.unitDomain());
        }
        return requestDeletion(unitId, backupId, scope, actor);
    }

    @Transactional
    @StaffOnly
    public JobView requestDeletion(UUID unitId, UUID backupId, TenantScope scope, String actor) {
        Backups.Origin origin = origin(unitId, backupId, scope);
        BackupView backup = backups.find(backupId).orElseThrow();
        String takenAt = String.valueOf(backup.takenAt());
        if (backup.protectedFromPrune()) {
            throw InvalidRequestException.of("backup", "the backup of " + takenAt + " is protected: lift its protection"
                    + " before deleting it", "backup.delete.protected", takenAt);
        }
        List<String> using = activeJobsNaming(backupId);
        if (using.contains(JobKind.DELETE_BACKUP.name())) {
            throw InvalidRequestException.of("backup", "the backup of " + takenAt + " is already being deleted",
                    "backup.delete.in-progress", takenAt);
        }
        if (!using.isEmpty()) {
            throw InvalidRequestException.of("backup", "the backup of " + takenAt + " is in use by a job in progress ("
                    + using.get(0) + "); wait for it to end", "backup.delete.in-use", takenAt, using.get(0));
        }
        return unitJobs.enqueue(origin.unitId(), origin.unitDomain(), origin.nodeName(), origin.tenantId(),
                JobKind.DELETE_BACKUP, "{\"backup\":\"" + backupId + "\"}", actor);
    }

    private Backups.Origin origin(UUID unitId, UUID backupId, TenantScope scope) {
        return backups.origin(backupId).filter(o -> o.unitId().equals(unitId) && scope.allows(o.tenantId()))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
    }

    /** Kinds of the jobs in progress that read or delete the backup (their parameter "backup"), of any unit. */
    private List<String> activeJobsNaming(UUID backupId) {
        return jdbc.sql("select kind from provisioning_job where state in ('ENQUEUED', 'RUNNING', 'COMPENSATING')"
                        + " and cast(params as jsonb) ->> 'backup' = :b order by created_at")
                .param("b", backupId.toString()).query(String.class).list();
    }
}
