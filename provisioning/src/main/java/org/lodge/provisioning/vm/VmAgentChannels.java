package org.lodge.provisioning.vm;

import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Gives the VMs defined before vm-domain.xml had the guest agent's channel that channel, so their
 * backups can freeze the guest's filesystems instead of staying crash-consistent (docs/backups.md,
 * "VMs"). When the worker starts, every VM of its node whose persistent definition lacks the channel
 * gets it through libvirt ({@code virDomainAttachDeviceFlags(…, CONFIG)}): only the definition
 * changes, so a running guest has it from its next cold boot (stop and start, not a reboot from
 * inside). A definition that has it is not touched, so running this again changes nothing.
 */
@Component
@WorkerRole
public class VmAgentChannels {

    private static final Logger log = LoggerFactory.getLogger(VmAgentChannels.class);
    static final String CHANNEL = "org.qemu.guest_agent.0";

    private final UnitRepository units;
    private final VmHost host;
    private final NodeProperties node;
    private final LibvirtXml xml;

    public VmAgentChannels(UnitRepository units, VmHost host, NodeProperties node, LibvirtXml xml) {
        this.units = units;
        this.host = host;
        this.node = node;
        this.xml = xml;
    }

    /** The node's VMs brought up to date; how many definitions got the channel. One VM's failure does not stop the others. */
    @EventListener(ApplicationReadyEvent.class)
    public int addMissing() {
        int added = 0;
        int failed = 0;
        for (UnitEntity vm : units.findByNodeName(node.name())) {
            if (vm.kind() != UnitKind.VM) {
                continue;
            }
            try {
                Optional<Domain> domain = host.domain(vm);
                if (domain.isPresent() && addIfMissing(domain.get())) {
                    added++;
                    log.info("VM {} ({}): guest agent channel {} added to its definition; it takes effect at the"
                            + " VM's next stop and start", vm.domain(), vm.libvirtName(), CHANNEL);
                }
            } catch (LibvirtException | RuntimeException e) {
                failed++;
                log.warn("VM {} ({}): could not add the guest agent channel to its definition: {}", vm.domain(),
                        vm.libvirtName(), e.getMessage());
            }
        }
        if (added > 0 || failed > 0) {
            log.info("guest agent channels: {} VM definitions updated, {} failed", added, failed);
        }
        return added;
    }

    /** Adds the channel to the domain's persistent definition unless it has one; true when it was added. */
    public boolean addIfMissing(Domain domain) throws LibvirtException {
        if (hasChannel(domain.getXMLDesc(Domain.XMLFlags.INACTIVE))) {
            return false;
        }
        domain.attachDeviceFlags(xml.render("vm-agent-channel", Map.of()), Domain.DeviceModifyFlags.CONFIG);
        return true;
    }

    static boolean hasChannel(String definition) {
        return XmlQuery.of(definition).nodes("/domain/devices/channel/target[@type='virtio'][@name='" + CHANNEL + "']")
                .getLength() > 0;
    }
}
