package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmDefinitions;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Defines the VM's domain in libvirt (persistent, not started). */
@Component
public class DefineVm extends VmStep {

    /** VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA */
    static final int UNDEFINE_ALL = 1 | 2;

    private final VmDefinitions definitions;
    private final UnitFilter filter;

    public DefineVm(UnitRepository units, VmHost host, TransactionTemplate tx, VmDefinitions definitions,
                    UnitFilter filter) {
        super(units, host, tx);
        this.definitions = definitions;
        this.filter = filter;
    }

    @Override
    public String name() {
        return "define-vm";
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity vm = unit(ctx);
        if (host.domain(vm).isPresent()) {
            ctx.log("domain " + vm.libvirtName() + " already defined");
            return;
        }
        try {
            host.connection().domainDefineXML(definitions.render(vm));
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("defining " + vm.libvirtName(), e);
        }
        ctx.log("domain " + vm.libvirtName() + " defined: " + definitions.virtType() + ", " + vm.vcpus() + " vCPU, "
                + vm.memoryMib() + " MiB, NIC " + vm.mac() + ", VNC on the node's loopback");
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        Optional<Domain> domain = domainIfDefined(ctx);
        if (domain.isPresent()) {
            if (DomainStates.isActive(domain.get())) {
                domain.get().destroy();
            }
            domain.get().undefine(UNDEFINE_ALL);
            ctx.log("domain undefined");
        }
        unitIfPresent(ctx).ifPresent(vm -> filter.release(vm.libvirtName()));
    }
}
