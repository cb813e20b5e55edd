package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.step.UnitStep;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailTemplates;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.network.UnitFilter;
import org.springframework.stereotype.Component;

/**
 * Defines the jail's LXC domain: its image as root, its own address behind the node's traffic
 * filter, a memory limit, CPU weight and ceiling, a reduced capability set.
 */
@Component
public class DefineDomain extends UnitStep {

    /** The CFS period of jail-domain.xml's {@code <cputune>}. */
    private static final int CPU_PERIOD_MICROS = 100_000;

    private final JailHost host;
    private final LibvirtXml xml;
    private final IpPoolRepository pools;
    private final NodeProperties node;
    private final UnitFilter filter;
    private final JailTemplates templates;

    public DefineDomain(UnitRepository jails, JailHost host, LibvirtXml xml, IpPoolRepository pools,
                        NodeProperties node, UnitFilter filter, JailTemplates templates) {
        super(jails);
        this.templates = templates;
        this.host = host;
        this.xml = xml;
        this.pools = pools;
        this.node = node;
        this.filter = filter;
    }

    @Override
    public String name() {
        return "define-domain";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity jail = unit(ctx);
        IpPoolEntity pool = pools.findById(jail.poolId()).orElseThrow();
        NodeProperties.JailLimits limits = node.jailLimits();
        Optional<Domain> existing = host.domain(jail);
        // Chosen here, so nothing is read back after the definition; a redefinition keeps the first one's.
        String mac = existing.map(DefineDomain::mac).orElseGet(() -> UnitEntity.macOf(jail.id()));
        String definition = xml.render("jail-domain", Map.ofEntries(
                Map.entry("name", jail.libvirtName()), Map.entry("uuid", uuid(jail, existing)),
                Map.entry("mac", mac), Map.entry("domain", jail.domain()),
                Map.entry("memoryMib", jail.memoryMib()), Map.entry("root", host.mountPoint(jail).toString()),
                Map.entry("uidBase", jail.uidBase()), Map.entry("template", templates.of(jail).dir().toString()),
                Map.entry("shared", RootFilesystem.SHARED_DIRS), Map.entry("network", pool.networkName()),
                Map.entry("ipv4", jail.ipv4()), Map.entry("prefix", pool.prefixLength()),
                Map.entry("gateway", pool.gateway()),
                Map.entry("cpuShares", limits.cpuShares()),
                Map.entry("cpuQuotaMicros", CPU_PERIOD_MICROS / 100 * limits.cpuQuotaPercent())));
        try {
            // Defining again replaces the definition: safe to repeat.
            host.connection().domainDefineXML(definition);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("defining " + jail.libvirtName(), e);
        }
        ctx.log("LXC domain " + jail.libvirtName() + " defined: " + jail.memoryMib() + " MiB memory, "
                + jail.ipv4() + "/" + pool.prefixLength() + " on " + pool.networkName() + " via " + pool.gateway()
                + ", root mapped to host uids " + jail.uidBase() + "–" + (jail.uidBase() + 65535) + ", MAC " + mac + " (traffic filter entry at start)"
                + ", CPU weight " + limits.cpuShares() + " and ceiling " + limits.cpuQuotaPercent()
                + " % of a core");
    }

    /**
     * The unit id, as for VMs; a jail defined before jails had one keeps libvirt's (a definition
     * without a UUID, or with another, is refused for an existing name: "already exists with uuid").
     */
    private static String uuid(UnitEntity jail, Optional<Domain> existing) {
        try {
            return existing.isPresent() ? existing.get().getUUIDString() : jail.id().toString();
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("reading the UUID of " + jail.libvirtName(), e);
        }
    }

    /** The MAC of the jail's one interface, as it was chosen at the first definition. */
    private static String mac(Domain domain) {
        try {
            return XmlQuery.of(domain.getXMLDesc(0)).attribute("address", "devices", "interface", "mac");
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("reading the MAC of a jail", e);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        Optional<Domain> domain = unitIfPresent(ctx).flatMap(host::domain);
        if (domain.isPresent()) {
            if (DomainStates.isActive(domain.get())) {
                domain.get().destroy();
            }
            domain.get().undefine();
            ctx.log("domain undefined");
        }
        unitIfPresent(ctx).ifPresent(jail -> filter.release(jail.libvirtName()));
    }
}
