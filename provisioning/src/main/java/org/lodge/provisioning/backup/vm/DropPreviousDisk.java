package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmDiskSwap;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/** The restored or reinstalled VM passed its proofs: the disk and seed this job kept aside are deleted. */
@Component
public class DropPreviousDisk extends UnitStep {

    private final VmHost host;

    public DropPreviousDisk(UnitRepository units, VmHost host) {
        super(units);
        this.host = host;
    }

    @Override
    public String name() {
        return "drop-previous-disk";
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        if (VmDiskSwap.of(host, vm, ctx.jobId()).dropPrevious()) {
            ctx.log(JobWords.VM_PREVIOUS_DISK_DELETED.with());
        }
        host.pool().refresh(0);
    }
}
