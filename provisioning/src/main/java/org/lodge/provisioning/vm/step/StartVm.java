package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.time.Duration;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Boots the VM; undoing it powers the VM off. */
@Component
public class StartVm extends VmStep {

    private final UnitFilter filter;

    public StartVm(UnitRepository units, VmHost host, TransactionTemplate tx, UnitFilter filter) {
        super(units, host, tx);
        this.filter = filter;
    }

    @Override
    public String name() {
        return "start-vm";
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        try {
            if (DomainStates.isActive(domain)) {
                ctx.log(JobWords.ALREADY_RUNNING.with());
            } else {
                // At every start: a VM defined before its node had this filter gets its entry too.
                filter.admit(new UnitFilter.Entry(vm.libvirtName(), vm.mac(), vm.ipv4()));
                domain.create();
                ctx.log(JobWords.VM_STARTED.with());
            }
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("starting " + vm.libvirtName(), e);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        Optional<Domain> domain = domainIfDefined(ctx);
        if (domain.isPresent() && DomainStates.isActive(domain.get())) {
            domain.get().destroy();
            ctx.log(JobWords.VM_POWERED_OFF.with());
        }
    }
}
