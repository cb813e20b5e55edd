package org.lodge.provisioning;

import java.util.UUID;

/** The operator's input, still raw: it is parsed and checked by {@link JailService#requestJail}. */
public record JailRequest(UUID tenantId, String node, String diskSize, String domain, String ipv4,
                          String idempotencyKey) {
}
