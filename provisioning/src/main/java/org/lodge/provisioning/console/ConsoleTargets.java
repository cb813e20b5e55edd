package org.lodge.provisioning.console;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds a unit's console in libvirt at the moment it is asked for, never from anything stored:
 * the unit's domain must run now and be that unit (a VM's domain carries the unit's id as its
 * UUID). A VM's VNC server listens on a UNIX socket libvirt creates in the domain's private
 * directory ({@code /var/lib/libvirt/qemu/domain-<id>-<name>/}, readable only by root and
 * QEMU's user), whose path names the domain's run: a stopped VM's path leads nowhere. A jail's
 * console is the host pty libvirt gives an LXC console; one reader at a time (two would steal
 * each other's output), so a new console of a jail closes its previous one.
 */
@Component
@WorkerRole
class ConsoleTargets {

    private static final Logger log = LoggerFactory.getLogger(ConsoleTargets.class);

    private final UnitDrivers drivers;
    private final Map<UUID, ConsoleTarget> jailConsoles = new ConcurrentHashMap<>();

    ConsoleTargets(UnitDrivers drivers) {
        this.drivers = drivers;
    }

    ConsoleTarget open(UnitEntity unit) throws ConsoleRefused, IOException {
        Domain domain = drivers.of(unit).domain(unit).filter(DomainStates::isActive)
                .orElseThrow(() -> new ConsoleRefused(unit.domain() + " is not running"));
        try {
            if (unit.kind() == UnitKind.VM && !domain.getUUIDString().equals(unit.id().toString())) {
                // Another domain under the unit's name: not this unit's console, whatever it shows.
                throw new ConsoleRefused("the console of " + unit.domain() + " is not available");
            }
            XmlQuery live = XmlQuery.of(domain.getXMLDesc(0));
            return switch (unit.kind()) {
                case VM -> vnc(unit, live.text("/domain/devices/graphics[@type='vnc']/@socket"));
                case JAIL -> pty(unit, live.text("/domain/devices/console/source/@path"));
            };
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                throw new ConsoleRefused(unit.domain() + " is not running");
            }
            throw LibvirtErrors.classify("domain XML of " + unit.libvirtName(), e);
        }
    }

    /** Forgets a jail's console once its relay ended (unless a newer one replaced it already). */
    void closed(UUID unitId, ConsoleTarget target) {
        jailConsoles.remove(unitId, target);
    }

    private static ConsoleTarget vnc(UnitEntity vm, String socket) throws ConsoleRefused, IOException {
        if (socket.isEmpty()) {
            throw new ConsoleRefused(vm.domain() + " has no VNC console");
        }
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        return new ConsoleTarget(channel, channel);
    }

    private ConsoleTarget pty(UnitEntity jail, String pty) throws ConsoleRefused, IOException {
        if (pty.isEmpty()) {
            throw new ConsoleRefused(jail.domain() + " has no console");
        }
        FileChannel in = FileChannel.open(Path.of(pty), StandardOpenOption.READ);
        ConsoleTarget target;
        try {
            target = new ConsoleTarget(in, FileChannel.open(Path.of(pty), StandardOpenOption.WRITE));
        } catch (IOException e) {
            in.close();
            throw e;
        }
        ConsoleTarget previous = jailConsoles.put(jail.id(), target);
        if (previous != null) {
            try {
                previous.close();
            } catch (IOException e) {
                log.debug("closing the previous console of {}: {}", jail.domain(), e.getMessage());
            }
        }
        return target;
    }
}
