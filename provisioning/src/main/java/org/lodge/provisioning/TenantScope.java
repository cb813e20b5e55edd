package org.lodge.provisioning;

import java.util.Optional;
import java.util.UUID;

/** Whose data a query may see: staff see every tenant, a customer only their own. */
public record TenantScope(Optional<UUID> tenantId) {

    public static TenantScope all() {
        return new TenantScope(Optional.empty());
    }

    public static TenantScope of(UUID tenantId) {
        return new TenantScope(Optional.of(tenantId));
    }

    /** Whether this scope sees data of that tenant ({@code null}: a node's own jobs, staff only). */
    public boolean allows(UUID owner) {
        return tenantId.map(t -> t.equals(owner)).orElse(true);
    }

    public boolean isStaff() {
        return tenantId.isEmpty();
    }
}
