package org.lodge.provisioning;

import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.backup.BackupPolicies;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The stored backup policies as the staff's forms show them (changing them: {@link BackupService}). */
@Service
public class BackupPolicyService {

    private final BackupPolicies policies;
    private final UnitRepository units;

    public BackupPolicyService(BackupPolicies policies, UnitRepository units) {
        this.policies = policies;
        this.units = units;
    }

    /** The unit's own policy, if it has one (staff). */
    @Transactional(readOnly = true)
    @StaffOnly
    public Optional<BackupService.Schedule> ofUnit(UUID unitId) {
        return units.findById(unitId).flatMap(u -> policies.of(u.tenantId(), u.id()));
    }

    /** The tenant's default policy, if it has one (staff). */
    @Transactional(readOnly = true)
    @StaffOnly
    public Optional<BackupService.Schedule> ofTenant(UUID tenantId) {
        return policies.of(tenantId, null);
    }
}
