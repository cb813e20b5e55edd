package org.lodge.provisioning.libvirt;

import java.util.LinkedHashMap;
import java.util.Map;
import org.libvirt.Connect;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of this worker's libvirt connections (LXC for jails, QEMU for VMs): up when each
 * answers, with libvirt's version; down, with the reason, when one does not.
 */
@Component("libvirt")
@WorkerRole
public class LibvirtHealth implements HealthIndicator {

    private final LibvirtConnections libvirt;
    private final NodeProperties node;

    public LibvirtHealth(LibvirtConnections libvirt, NodeProperties node) {
        this.libvirt = libvirt;
        this.node = node;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (String uri : new String[] {node.lxcUri(), node.vm().uri()}) {
            try {
                Connect connect = libvirt.get(uri);
                details.put(uri, "libvirt " + connect.getLibVersion() + ", " + connect.numOfDomains() + " running domains");
            } catch (Exception e) {
                up = false;
                details.put(uri, "unreachable: " + e.getMessage());
            }
        }
        return (up ? Health.up() : Health.down()).withDetail("node", node.name()).withDetails(details).build();
    }
}
