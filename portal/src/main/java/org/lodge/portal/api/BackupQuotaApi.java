package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.lodge.provisioning.BackupQuotaService;
import org.lodge.provisioning.BackupQuotaView;
import org.lodge.provisioning.TenantScope;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's backup quota (staff: {@code /api/tenants/**} is staff-only, and the service checks it again). */
@RestController
@Tag(name = "backups")
public class BackupQuotaApi {

    private final BackupQuotaService quotas;

    public BackupQuotaApi(BackupQuotaService quotas) {
        this.quotas = quotas;
    }

    /** A size such as "20GB", "500MB" or bytes; null or empty removes the quota. */
    public record Quota(String quota) {
    }

    @Operation(summary = "The tenant's backup quota (null: none) and what its backups take (deduplicated, as restic"
            + " measured after the last backup).")
    @GetMapping("/api/tenants/{id}/backup-quota")
    public BackupQuotaView get(@PathVariable UUID id) {
        return quotas.usage(id, TenantScope.all());
    }

    @Operation(summary = "Set the tenant's backup quota (staff): a backup that would exceed it ends KO and deletes"
            + " nothing else. {\"quota\": \"20GB\"}; null or empty removes it.")
    @PutMapping("/api/tenants/{id}/backup-quota")
    public ResponseEntity<Void> set(@PathVariable UUID id, @RequestBody Quota body) {
        quotas.setQuota(id, body == null ? null : body.quota());
        return ResponseEntity.noContent().build();
    }
}
