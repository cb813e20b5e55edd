package org.lodge.provisioning.vm.step;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A one-call lifecycle step (power off, suspend, resume): skipped when the domain is already in
 * the wanted state, so a revived job does not fail on its own earlier success.
 */
public class DomainCall extends VmStep {

    interface Call {
        void apply(Domain domain) throws LibvirtException;
    }

    private final String name;
    private final org.libvirt.DomainInfo.DomainState done;
    private final Call call;
    private final JobWords logLine;

    DomainCall(UnitRepository units, VmHost host, TransactionTemplate tx, String name,
               org.libvirt.DomainInfo.DomainState done, Call call, JobWords logLine) {
        super(units, host, tx);
        this.name = name;
        this.done = done;
        this.call = call;
        this.logLine = logLine;
    }

    public static DomainCall powerOff(UnitRepository units, VmHost host, TransactionTemplate tx) {
        return new DomainCall(units, host, tx, "power-off", org.libvirt.DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF,
                Domain::destroy, JobWords.VM_FORCED_OFF);
    }

    public static DomainCall suspend(UnitRepository units, VmHost host, TransactionTemplate tx) {
        return new DomainCall(units, host, tx, "suspend", org.libvirt.DomainInfo.DomainState.VIR_DOMAIN_PAUSED,
                Domain::suspend, JobWords.VM_SUSPENDED);
    }

    public static DomainCall resume(UnitRepository units, VmHost host, TransactionTemplate tx) {
        return new DomainCall(units, host, tx, "resume", org.libvirt.DomainInfo.DomainState.VIR_DOMAIN_RUNNING,
                Domain::resume, JobWords.VM_RESUMED);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        if (domain.getInfo().state == done) {
            ctx.log(switch (done) {
                case VIR_DOMAIN_SHUTOFF -> JobWords.VM_ALREADY_SHUTOFF.with();
                case VIR_DOMAIN_PAUSED -> JobWords.VM_ALREADY_PAUSED.with();
                default -> JobWords.ALREADY_RUNNING.with();
            });
        } else {
            call.apply(domain);
            ctx.log(logLine.with());
        }
    }
}
