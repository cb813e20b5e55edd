package org.lodge.provisioning.vm;

import org.lodge.provisioning.libvirt.XmlQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;
import org.w3c.dom.NodeList;

/** Renders a VM's domain XML from its unit and template, with the virtualisation the node offers. */
@Component
public class VmDefinitions {

    private final VmHost host;
    private final VmTemplates templates;
    private final IpPoolRepository pools;
    private final LibvirtXml xml;
    private final NodeProperties.Vm props;
    private volatile Virt virt;

    public VmDefinitions(VmHost host, VmTemplates templates, IpPoolRepository pools, LibvirtXml xml,
                         NodeProperties node) {
        this.props = node.vm();
        this.host = host;
        this.templates = templates;
        this.pools = pools;
        this.xml = xml;
    }

    public String render(UnitEntity vm) {
        VmTemplates.Template template = templates.find(vm.template()).orElseThrow(() ->
                new IllegalStateException("template " + vm.template() + " is missing on this node"));
        IpPoolEntity pool = pools.findById(vm.poolId()).orElseThrow();
        Map<String, Object> values = new HashMap<>();
        values.put("virtType", virt().type());
        values.put("arch", virt().arch());
        values.put("name", vm.libvirtName());
        values.put("uuid", vm.id().toString());
        values.put("domain", vm.domain());
        values.put("memoryMib", vm.memoryMib());
        values.put("vcpus", vm.vcpus());
        values.put("kernel", template.kernel().toString());
        values.put("initrd", template.initrd().toString());
        values.put("cmdline", template.cmdline());
        values.put("disk", host.volumePath(VmHost.diskName(vm)).toString());
        values.put("seed", host.volumePath(VmHost.seedName(vm)).toString());
        values.put("mac", vm.mac());
        values.put("network", pool.networkName());
        return xml.render("vm-domain", values);
    }

    /**
     * KVM when libvirt offers it for x86_64 and the host can really run it, else QEMU's TCG; a
     * driver that offers neither (libvirt's test driver) gets its own first guest type.
     */
    public String virtType() {
        return virt().type();
    }

    private record Virt(String type, String arch) {
    }

    /**
     * /dev/kvm alone is not enough: some sandboxes offer it without hardware virtualisation,
     * and a KVM guest there hangs while decompressing its kernel. The CPU must show VT-x or AMD-V.
     */
    static boolean kvmUsable() {
        try {
            return Files.exists(Path.of("/dev/kvm")) && Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("flags"))
                    .anyMatch(line -> line.contains(" vmx") || line.contains(" svm"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Virt virt() {
        if (virt == null) {
            try {
                NodeList types = XmlQuery.of(host.connection().getCapabilities())
                        .nodes("/capabilities/guest[os_type='hvm']/arch/domain/@type");
                java.util.List<Virt> offered = new java.util.ArrayList<>();
                for (int i = 0; i < types.getLength(); i++) {
                    var attribute = (org.w3c.dom.Attr) types.item(i);
                    String arch = ((org.w3c.dom.Element) attribute.getOwnerElement().getParentNode()).getAttribute("name");
                    offered.add(new Virt(attribute.getValue(), arch));
                }
                Virt kvm = new Virt("kvm", "x86_64");
                Virt tcg = new Virt("qemu", "x86_64");
                virt = offered.contains(kvm) && kvmUsable() ? kvm
                        : offered.contains(tcg) ? tcg
                        : offered.stream().findFirst().orElseThrow(() -> new IllegalStateException(
                                "libvirt offers no hvm guests at " + props.uri()));
            } catch (LibvirtException e) {
                throw LibvirtErrors.classify("capabilities", e);
            }
        }
        return virt;
    }
}
