package org.lodge.provisioning.backup.vm;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/**
 * Puts a backup's disk in place of the stopped VM's: the proven image (see {@link VmImageFetch})
 * is moved beside the current disk as {@code .restoring}; the current disk and seed are kept as
 * {@code .pre-restore}; then one rename in the pool directory swaps the disks (atomic). The next
 * step writes a new seed (the new FTP password). Undone by renaming the previous disk and seed
 * back; they are deleted only after the proofs passed ({@link DropPreviousDisk}).
 */
@Component
public class RestoreVmDisk extends VmDiskFromBackup {

    static final String PREVIOUS = ".pre-restore";

    public RestoreVmDisk(UnitRepository units, VmHost host, VmImageFetch fetch, VmBackupArea area) {
        super(units, host, fetch, area);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        if (host.domain(vm).map(DomainStates::isActive).orElse(false)) {
            throw new IllegalStateException(vm.domain() + " is running: its disk cannot be replaced");
        }
        Path disk = host.volumePath(VmHost.diskName(vm));
        Path seed = host.volumePath(VmHost.seedName(vm));
        if (Files.exists(sibling(disk, PREVIOUS))) {
            ctx.log("disk already swapped by an earlier run of this job");
            return;
        }
        Path restoring = fetchBeside(ctx, vm, disk);
        Files.copy(seed, sibling(seed, PREVIOUS), REPLACE_EXISTING);
        Files.move(disk, sibling(disk, PREVIOUS), ATOMIC_MOVE);
        Files.move(restoring, disk, ATOMIC_MOVE);
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
        Path disk = host.volumePath(VmHost.diskName(vm));
        Path seed = host.volumePath(VmHost.seedName(vm));
        if (Files.exists(sibling(disk, PREVIOUS))) {
            Files.move(sibling(disk, PREVIOUS), disk, ATOMIC_MOVE, REPLACE_EXISTING);
            ctx.log("previous disk put back");
        }
        if (Files.exists(sibling(seed, PREVIOUS))) {
            Files.move(sibling(seed, PREVIOUS), seed, ATOMIC_MOVE, REPLACE_EXISTING);
            ctx.log("previous seed put back");
        }
        discard(vm, disk);
    }
}
