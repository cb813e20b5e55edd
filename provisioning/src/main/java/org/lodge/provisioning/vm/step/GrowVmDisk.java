package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grows the VM's disk: live with {@code blockResize} when it runs (the guest grows its
 * filesystem when it sees the new size), else by resizing the volume.
 */
@Component
public class GrowVmDisk extends VmStep {

    /** VIR_DOMAIN_BLOCK_RESIZE_BYTES: the size is in bytes, not KiB. */
    private static final int RESIZE_BYTES = 1;

    public GrowVmDisk(UnitRepository units, VmHost host, TransactionTemplate tx) {
        super(units, host, tx);
    }

    @Override
    public String name() {
        return "grow-disk";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        long bytes = ctx.params().path("diskBytes").asLong();
        Domain domain = domain(vm);
        if (DomainStates.isActive(domain)) {
            domain.blockResize("vda", bytes, RESIZE_BYTES);
            ctx.log("disk grown live to " + DiskSize.ofBytes(bytes).human() + "; the guest grows its filesystem");
        } else {
            host.volume(VmHost.diskName(vm)).orElseThrow(() -> new IllegalStateException("the disk of "
                    + vm.domain() + " is missing")).resize(bytes, 0);
            ctx.log("disk grown to " + DiskSize.ofBytes(bytes).human() + "; the guest grows its filesystem at boot");
        }
        update(ctx, v -> v.resized(bytes));
    }
}
