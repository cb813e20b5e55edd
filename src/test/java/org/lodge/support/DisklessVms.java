package org.lodge.support;

import java.util.UUID;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/**
 * VM units whose domain is a diskless QEMU guest started directly (no job): its BIOS screen is
 * enough for a console, and it boots in a second under TCG. The domain has the unit's name and
 * UUID, and VNC on a libvirt-made UNIX socket as Lodge's VM domains have.
 */
@Component
public class DisklessVms {

    private final UnitRepository units;
    private final IpPoolRepository pools;
    private final NodeProperties node;
    private final VmHost host;

    public DisklessVms(UnitRepository units, IpPoolRepository pools, NodeProperties node, VmHost host) {
        this.units = units;
        this.pools = pools;
        this.node = node;
        this.host = host;
    }

    /** A VM unit recorded as running (the domain is not started yet). */
    public UnitEntity unit(UUID tenantId, String ipv4) {
        UnitEntity vm = UnitEntity.vm(tenantId, node.name(),
                pools.findByNodeNameAndNetworkName(node.name(), node.network().name()).orElseThrow().id(),
                DomainName.parse("console-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com"),
                ipv4, 128L << 20, 64, 1, "lodge-test");
        vm.changeState(UnitState.RUNNING);
        return units.saveAndFlush(vm);
    }

    public Domain start(UnitEntity vm) throws LibvirtException {
        return start(vm, "", "restart");
    }

    /**
     * A guest that stops itself: its BIOS finds nothing to boot and asks for a reset at once
     * ({@code rebootTimeout='0'}), and libvirt ends a guest that resets ({@code on_reboot=destroy}).
     */
    public Domain startSelfStopping(UnitEntity vm) throws LibvirtException {
        return start(vm, "<bios rebootTimeout='0'/>", "destroy");
    }

    private Domain start(UnitEntity vm, String bios, String onReboot) throws LibvirtException {
        return host.connection().domainCreateXML("""
                <domain type='qemu'><name>%s</name><uuid>%s</uuid><memory unit='MiB'>32</memory>
                <os><type arch='x86_64' machine='pc'>hvm</type>%s</os><on_reboot>%s</on_reboot>
                <devices><graphics type='vnc'><listen type='socket'/></graphics><video><model type='vga'/></video></devices>
                </domain>""".formatted(vm.libvirtName(), vm.id(), bios, onReboot), 0);
    }

    public static String vncSocket(Domain domain) throws LibvirtException {
        return XmlQuery.of(domain.getXMLDesc(0)).text("/domain/devices/graphics[@type='vnc']/@socket");
    }

    /** Stops the guest if it still runs (a transient domain is then gone) and forgets the unit. */
    public void remove(UnitEntity vm) {
        host.domain(vm).ifPresent(domain -> {
            try {
                domain.destroy();
            } catch (LibvirtException e) {
                // it stopped by itself meanwhile
            }
        });
        units.deleteById(vm.id());
    }
}
