package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.support.DisklessVms;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * VMs defined before their domain XML had the guest agent's channel get it in their persistent
 * definition, once: real persistent QEMU domains (TCG, no OS, nothing to boot) named as the node's
 * VM units, one running without the channel, one defined with it.
 */
@LiveNodeTest
class VmAgentChannelsTest {

    @Autowired
    VmAgentChannels channels;
    @Autowired
    DisklessVms vms;
    @Autowired
    VmHost host;
    @Autowired
    TestData data;

    @Test
    void anOldVmGetsTheChannelInItsDefinitionOnceAndAVmThatHasItIsLeftAlone() throws Exception {
        TenantEntity tenant = data.tenant("agentchannel");
        UnitEntity old = vms.unit(tenant.getId(), "10.231.77.42");
        UnitEntity current = vms.unit(tenant.getId(), "10.231.77.43");
        Domain oldDomain = define(old, "");
        Domain currentDomain = define(current, "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
                + "</channel>");
        try {
            oldDomain.create();
            String currentBefore = currentDomain.getXMLDesc(Domain.XMLFlags.INACTIVE);

            assertThat(channels.addMissing()).isGreaterThanOrEqualTo(1);

            String upgraded = oldDomain.getXMLDesc(Domain.XMLFlags.INACTIVE);
            assertThat(channelsIn(upgraded)).as("the persistent definition has the channel once").isEqualTo(1);
            assertThat(XmlQuery.of(upgraded).nodes("/domain/devices/controller[@type='virtio-serial']").getLength())
                    .as("libvirt added the controller the channel needs").isEqualTo(1);
            assertThat(oldDomain.isActive()).as("the running guest was not touched").isEqualTo(1);
            assertThat(channelsIn(oldDomain.getXMLDesc(0))).as("not in the running guest before its next boot").isZero();
            assertThat(currentDomain.getXMLDesc(Domain.XMLFlags.INACTIVE)).isEqualTo(currentBefore);

            channels.addMissing();
            assertThat(channels.addIfMissing(oldDomain)).isFalse();
            assertThat(oldDomain.getXMLDesc(Domain.XMLFlags.INACTIVE)).as("a second run changes nothing").isEqualTo(upgraded);

            oldDomain.destroy();
            oldDomain.create();
            assertThat(channelsIn(oldDomain.getXMLDesc(0))).as("after a cold boot the guest has the channel").isEqualTo(1);
        } finally {
            for (Domain domain : new Domain[] {oldDomain, currentDomain}) {
                if (domain.isActive() == 1) {
                    domain.destroy();
                }
                domain.undefine();
            }
            vms.remove(old);
            vms.remove(current);
        }
    }

    /** A persistent diskless domain with the unit's name and UUID, as an older Lodge defined it (no OS to boot). */
    private Domain define(UnitEntity vm, String devices) throws LibvirtException {
        return host.connection().domainDefineXML("""
                <domain type='qemu'><name>%s</name><uuid>%s</uuid><memory unit='MiB'>32</memory><vcpu>1</vcpu>
                <os><type arch='x86_64' machine='pc'>hvm</type></os><devices>%s</devices></domain>"""
                .formatted(vm.libvirtName(), vm.id(), devices));
    }

    private static int channelsIn(String xml) {
        return XmlQuery.of(xml).nodes("/domain/devices/channel/target[@name='org.qemu.guest_agent.0']").getLength();
    }
}
