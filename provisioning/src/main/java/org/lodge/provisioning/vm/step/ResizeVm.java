package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmDefinitions;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** New vCPUs and memory: the persistent definition is rewritten; a running VM gets them at its next boot. */
@Component
public class ResizeVm extends VmStep {

    private final VmDefinitions definitions;

    public ResizeVm(UnitRepository units, VmHost host, TransactionTemplate tx, VmDefinitions definitions) {
        super(units, host, tx);
        this.definitions = definitions;
    }

    @Override
    public String name() {
        return "resize-vm";
    }

    @Override
    public void execute(JobContext ctx) {
        int vcpus = ctx.params().path("vcpus").asInt();
        int memoryMib = ctx.params().path("memoryMib").asInt();
        update(ctx, vm -> vm.resized(memoryMib, vcpus));
        UnitEntity vm = unit(ctx);
        try {
            host.connection().domainDefineXML(definitions.render(vm));
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("redefining " + vm.libvirtName(), e);
        }
        ctx.log(vcpus + " vCPU, " + memoryMib + " MiB written to the definition"
                + (DomainStates.isActive(domain(vm)) ? "; they apply at the next boot (stop and start the VM)" : ""));
    }
}
