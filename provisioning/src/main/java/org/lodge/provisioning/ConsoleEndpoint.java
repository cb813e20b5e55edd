package org.lodge.provisioning;

import java.util.UUID;

/**
 * A running unit's console as the portal reaches it: through the console gateway of the unit's
 * node ({@code host}:{@code port}), which finds the console in libvirt when a connection with a
 * valid one-time token arrives.
 */
public record ConsoleEndpoint(UUID unitId, UnitKind kind, String domain, String host, int port) {
}
