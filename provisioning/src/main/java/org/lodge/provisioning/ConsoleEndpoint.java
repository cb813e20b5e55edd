package org.lodge.provisioning;

import java.util.UUID;

/**
 * Where a running unit's console listens on its node's loopback, reached by the portal's proxy:
 * a VM's VNC server, or a jail's text console relayed by the worker.
 */
public record ConsoleEndpoint(UUID unitId, UnitKind kind, String domain, String host, int port) {
}
