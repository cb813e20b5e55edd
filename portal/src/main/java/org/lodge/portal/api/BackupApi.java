package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import jakarta.servlet.http.HttpServletRequest;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupDeletionService;
import org.lodge.provisioning.BackupPolicyService;
import org.lodge.provisioning.BackupService;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.JobView;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Backups of a unit: staff and the unit's own customers (another tenant's unit answers 404). */
@RestController
@RequestMapping("/api/units/{id}/backups")
@Tag(name = "backups")
public class BackupApi {

    private final BackupService backups;
    private final BackupDeletionService deletion;
    private final BackupPolicyService policies;
    private final AuditLog audit;

    public BackupApi(BackupService backups, BackupDeletionService deletion, BackupPolicyService policies,
                     AuditLog audit) {
        this.backups = backups;
        this.deletion = deletion;
        this.policies = policies;
        this.audit = audit;
    }

    @Operation(summary = "The unit's backups, newest first: time, size, verified, protected, outcome.")
    @GetMapping
    public List<BackupView> list(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return backups.list(id, user.scope());
    }

    @Operation(summary = "Take a backup of the jail now (consistent while it runs, then verified). Answers 202 with the job.")
    @PostMapping
    public ResponseEntity<JobView> take(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return accepted(backups.requestBackup(id, user.scope(), user.getUsername()));
    }

    @Operation(summary = "Restore a verified backup over the jail (stop, restore, start, HTTP and FTP proofs; the FTP"
            + " account gets a new password, revealed once by the job). Answers 202 with the job.")
    @PostMapping("/{backupId}/restore")
    public ResponseEntity<JobView> restore(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @PathVariable UUID backupId) {
        return accepted(backups.requestRestore(id, backupId, user.scope(), user.getUsername()));
    }

    @Operation(summary = "Restore a verified backup into a new jail of the same tenant with its own domain and IPv4"
            + " (staff; also for a deleted unit): built from the template, the backup's web root copied in, HTTP and FTP"
            + " proven, a new FTP password revealed once by the job. diskSize defaults to the unit's. Answers 202 with the job.")
    @PostMapping("/{backupId}/new-unit")
    public ResponseEntity<JobView> restoreToNewUnit(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                                    @PathVariable UUID backupId,
                                                    @RequestBody BackupService.NewUnitFromBackup body) {
        return accepted(backups.requestRestoreToNewUnit(id, backupId, body, user.getUsername()));
    }

    /** Whether a backup is protected from retention. */
    public record Protection(boolean protect) {
    }

    @Operation(summary = "Protect a backup from retention, or lift the protection (staff).")
    @PutMapping("/{backupId}/protection")
    public ResponseEntity<Void> protect(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                        @PathVariable UUID backupId, @RequestBody Protection body) {
        backups.protect(id, backupId, body.protect(), user.scope());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Delete one backup (staff): its snapshot forgotten and pruned from the node's repository by a"
            + " job, then its row. Refused before any job: a protected backup, one already being deleted or used by a job"
            + " in progress, a unit with a job in progress. Also a backup of a deleted unit. Answers 202 with the job.")
    @DeleteMapping("/{backupId}")
    public ResponseEntity<JobView> delete(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                          @PathVariable UUID backupId, HttpServletRequest request) {
        JobView job = deletion.requestDeletion(id, backupId, user.scope(), user.getUsername());
        audit.backupDeletion(user.getUsername(), backupId, job.unitLabel(), job.id(), request.getRemoteAddr());
        return accepted(job);
    }

    @Operation(summary = "When the unit's next scheduled backup is due (204 when it has no schedule).")
    @GetMapping("/next")
    public ResponseEntity<java.util.Map<String, java.time.Instant>> next(@AuthenticationPrincipal PortalUser user,
                                                                        @PathVariable UUID id) {
        return backups.nextRun(id, user.scope()).map(at -> ResponseEntity.ok(java.util.Map.of("dueAt", at)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Set the jail's own backup schedule (staff): Quartz cron, jitter in seconds, enabled, and"
            + " retention (keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly; none given:"
            + " keep-last 3, keep-daily 7, keep-weekly 4, keep-monthly 6; all 0: keep every backup).")
    @PutMapping("/schedule")
    public ResponseEntity<Void> schedule(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                         @RequestBody BackupPolicyService.Schedule body) {
        policies.setUnitSchedule(id, body, user.scope());
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<JobView> accepted(JobView job) {
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }
}
