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

/** Saves the running VM's memory to its state file and stops it; "restore" resumes from there. */
@Component
public class SaveVm extends VmStep {

    public SaveVm(UnitRepository units, VmHost host, TransactionTemplate tx) {
        super(units, host, tx);
    }

    @Override
    public String name() {
        return "save-vm";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, IOException {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        Path state = host.statePath(vm);
        if (!DomainStates.isActive(domain) && Files.exists(state)) {
            ctx.log("already saved to " + state);
            return;
        }
        Files.createDirectories(state.getParent());
        domain.save(state.toString());
        ctx.log("memory saved to " + state + " (" + Files.size(state) / 1024 + " KiB), domain stopped");
    }
}
