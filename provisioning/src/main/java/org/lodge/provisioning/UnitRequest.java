package org.lodge.provisioning;

import java.util.UUID;

/**
 * The operator's input, still raw: it is parsed and checked by {@link UnitService#requestUnit}.
 * Jails ignore the VM fields; blank VM fields take the node's defaults. {@code plan} names the
 * billing plan (a code checked by the caller; provisioning only carries it to {@link UnitCreated}).
 * {@code sshKey}, for VMs only, is an OpenSSH public key the guest's root account accepts.
 */
public record UnitRequest(UUID tenantId, String node, UnitKind kind, String diskSize, String domain, String ipv4,
                          String vcpus, String memory, String template, String idempotencyKey, String plan,
                          String sshKey) {

    /** A request without an SSH key. */
    public UnitRequest(UUID tenantId, String node, UnitKind kind, String diskSize, String domain, String ipv4,
                       String vcpus, String memory, String template, String idempotencyKey, String plan) {
        this(tenantId, node, kind, diskSize, domain, ipv4, vcpus, memory, template, idempotencyKey, plan, null);
    }

    /** A request that names no billing plan (billing then takes the kind's default plan). */
    public UnitRequest(UUID tenantId, String node, UnitKind kind, String diskSize, String domain, String ipv4,
                       String vcpus, String memory, String template, String idempotencyKey) {
        this(tenantId, node, kind, diskSize, domain, ipv4, vcpus, memory, template, idempotencyKey, null, null);
    }

    public static UnitRequest jail(UUID tenantId, String node, String diskSize, String domain, String ipv4,
                                   String idempotencyKey) {
        return new UnitRequest(tenantId, node, UnitKind.JAIL, diskSize, domain, ipv4, null, null, null, idempotencyKey);
    }
}
