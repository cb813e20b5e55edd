package org.lodge.provisioning.backup.vm;

import java.time.Duration;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.provisioning.vm.step.ShutdownVm;
import org.springframework.stereotype.Component;

/**
 * The VM's ACPI shutdown before its disk is restored; undone (the restore failed, every later step
 * undone) by starting it again if it was running, so the unit is as it was.
 */
@Component
public class StopForRestore extends UnitStep {

    private final ShutdownVm shutdown;
    private final VmHost host;

    public StopForRestore(UnitRepository units, ShutdownVm shutdown, VmHost host) {
        super(units);
        this.shutdown = shutdown;
        this.host = host;
    }

    @Override
    public String name() {
        return "stop-vm";
    }

    @Override
    public Duration timeout() {
        return shutdown.timeout();
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        shutdown.execute(ctx);
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        // The unit's row keeps its state during the job (the state sync skips busy units).
        UnitEntity vm = unitIfPresent(ctx).orElse(null);
        if (vm == null || vm.state() != UnitState.RUNNING) {
            return;
        }
        Domain domain = host.domain(vm).orElse(null);
        if (domain != null && !DomainStates.isActive(domain)) {
            domain.create();
            ctx.log(JobWords.VM_STARTED_AGAIN.with());
        }
    }
}
