package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.time.Duration;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** An ACPI shutdown; a guest that ignores it for the shutdown timeout is forced off, as the log says. */
@Component
public class ShutdownVm extends VmStep {

    private final Duration patience;

    public ShutdownVm(UnitRepository units, VmHost host, TransactionTemplate tx, NodeProperties node) {
        super(units, host, tx);
        this.patience = node.vm().shutdownTimeout();
    }

    @Override
    public String name() {
        return "shutdown-vm";
    }

    @Override
    public Duration timeout() {
        return patience.plusSeconds(30);
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, InterruptedException {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        if (!DomainStates.isActive(domain)) {
            ctx.log(JobWords.NOT_RUNNING.with());
        } else {
            long started = System.nanoTime();
            domain.shutdown();
            ctx.log(JobWords.VM_ACPI_SENT.with(patience.toSeconds()));
            long deadline = started + patience.toNanos();
            while (DomainStates.isActive(domain) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (DomainStates.isActive(domain)) {
                ctx.warn(JobWords.VM_ACPI_IGNORED.with(patience.toSeconds()));
                domain.destroy();
            } else {
                ctx.log(JobWords.VM_GUEST_OFF.with(Duration.ofNanos(System.nanoTime() - started).toMillis()));
            }
        }
    }
}
