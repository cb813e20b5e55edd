package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Path;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmDiskSwap;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/**
 * Puts a backup's disk in place of the stopped VM's: the proven image (see {@link VmImageFetch})
 * is moved beside the current disk as {@code .restoring}; then the current seed and disk are kept
 * as {@code .pre-restore}, marked as this job's ({@link VmDiskSwap}), and the restored disk takes
 * the disk's name (renames in the pool directory). The next step writes a new seed (the new FTP
 * password). Undone by renaming this job's previous disk and seed back; they are deleted only after
 * the proofs passed ({@link DropPreviousDisk}). A disk or seed another job kept aside makes the
 * restore fail, naming the file, and stays where it is.
 */
@Component
public class RestoreVmDisk extends VmDiskFromBackup {

    public RestoreVmDisk(UnitRepository units, VmHost host, VmImageFetch fetch, VmBackupArea area) {
        super(units, host, fetch, area);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        VmDiskSwap swap = VmDiskSwap.of(host, vm, ctx.jobId());
        if (swap.swapped()) {
            ctx.log(JobWords.VM_DISK_ALREADY_SWAPPED.with());
            return;
        }
        if (host.domain(vm).map(DomainStates::isActive).orElse(false)) {
            throw new IllegalStateException(vm.domain() + " is running: its disk cannot be replaced");
        }
        Path disk = host.volumePath(VmHost.diskName(vm));
        fetchBeside(ctx, vm, disk);
        swap.swapIn();
        swapped(vm);
        ctx.log("disk swapped: the restored image is " + disk.getFileName() + ", the previous disk and seed are kept"
                + " until the proofs pass");
    }

    @Override
    public void compensate(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unitIfPresent(ctx).orElse(null);
        if (vm == null) {
            return;
        }
        var domain = host.domain(vm);
        if (domain.isPresent() && DomainStates.isActive(domain.get())) {
            domain.get().destroy();
        }
        ctx.log(VmDiskSwap.of(host, vm, ctx.jobId()).putBack());
        discard(vm, host.volumePath(VmHost.diskName(vm)));
    }
}
