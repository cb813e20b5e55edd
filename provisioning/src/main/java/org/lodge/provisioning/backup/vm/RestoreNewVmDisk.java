package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/** A new VM's disk from a backup: the proven image (see {@link VmImageFetch}) becomes its volume. */
@Component
public class RestoreNewVmDisk extends VmDiskFromBackup {

    public RestoreNewVmDisk(UnitRepository units, VmHost host, VmImageFetch fetch, VmBackupArea area) {
        super(units, host, fetch, area);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        Path disk = host.volumePath(VmHost.diskName(vm));
        if (Files.exists(disk)) {
            ctx.log("disk " + disk.getFileName() + " already restored");
            return;
        }
        Files.move(fetchBeside(ctx, vm, disk), disk, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        swapped(vm);
        ctx.log("disk " + disk.getFileName() + " is the backup's image (standalone qcow2)");
    }

    @Override
    public void compensate(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unitIfPresent(ctx).orElse(null);
        if (vm == null) {
            return;
        }
        Path disk = host.volumePath(VmHost.diskName(vm));
        if (Files.deleteIfExists(disk)) {
            ctx.log("disk " + disk.getFileName() + " deleted");
        }
        discard(vm, disk);
    }
}
