package org.lodge.provisioning.network;

import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.springframework.stereotype.Component;

/**
 * The node's ARP cache for unit addresses. An address given to a new unit has a new MAC behind
 * it, and the node would keep answering with the old one until its entry goes stale and is probed
 * again: the new unit would be unreachable meanwhile. Jails cannot announce themselves (they have
 * no raw sockets), so the worker forgets the entry when the address is released, off the path of
 * every start.
 */
@Component
public class NeighbourCache {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HostCommands commands;

    public NeighbourCache(HostCommands commands) {
        this.commands = commands;
    }

    /** Drops the node's entry for {@code ipv4}, on whichever device it is; none is fine. */
    public void forget(String ipv4) {
        commands.runChecked(Program.IP, List.of("neigh", "flush", "to", ipv4), TIMEOUT);
    }
}
