package org.lodge.provisioning;

import java.util.UUID;

/** Where a running VM's VNC server listens: the node's loopback, reached by the portal's proxy. */
public record ConsoleEndpoint(UUID unitId, String domain, String host, int port) {
}
