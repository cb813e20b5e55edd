package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Resumes a saved VM from its state file, which is then removed. */
@Component
public class RestoreVm extends VmStep {

    public RestoreVm(UnitRepository units, VmHost host, TransactionTemplate tx) {
        super(units, host, tx);
    }

    @Override
    public String name() {
        return "restore-vm";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, IOException {
        UnitEntity vm = unit(ctx);
        Path state = host.statePath(vm);
        Domain domain = domain(vm);
        if (DomainStates.isActive(domain)) {
            ctx.log("already running");
        } else if (!Files.exists(state)) {
            throw new IllegalStateException("there is no saved state to restore (" + state + "); start the VM instead");
        } else {
            host.connection().restore(state.toString());
            ctx.log("restored from " + state);
        }
        Files.deleteIfExists(state);
    }
}
