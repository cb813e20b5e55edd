package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/** The restored VM passed its proofs: the disk and seed it had before the restore are deleted. */
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
        Files.deleteIfExists(RestoreVmDisk.sibling(host.volumePath(VmHost.diskName(vm)), RestoreVmDisk.PREVIOUS));
        Files.deleteIfExists(RestoreVmDisk.sibling(host.volumePath(VmHost.seedName(vm)), RestoreVmDisk.PREVIOUS));
        host.pool().refresh(0);
        ctx.log("previous disk and seed deleted");
    }
}
