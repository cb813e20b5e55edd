package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/** A new VM's disk from a backup: the proven image (see {@link VmImageFetch}) becomes its volume. */
@Component
public class RestoreNewVmDisk extends UnitStep {

    private final VmHost host;
    private final VmImageFetch fetch;
    private final VmBackupArea area;

    public RestoreNewVmDisk(UnitRepository units, VmHost host, VmImageFetch fetch, VmBackupArea area) {
        super(units);
        this.host = host;
        this.fetch = fetch;
        this.area = area;
    }

    @Override
    public String name() {
        return "restore-disk";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        Path disk = host.volumePath(VmHost.diskName(vm));
        if (Files.exists(disk)) {
            ctx.log("disk " + disk.getFileName() + " already restored");
            return;
        }
        Path image = fetch.fetch(UUID.fromString(ctx.params().path("backup").asText()), vm, ctx::log);
        Path partial = RestoreVmDisk.sibling(disk, RestoreVmDisk.RESTORING);
        Files.move(image, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, disk, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        host.pool().refresh(0);
        area.release(vm);
        ctx.log("disk " + disk.getFileName() + " is the backup's image (standalone qcow2)");
    }

    @Override
    public void compensate(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unitIfPresent(ctx).orElse(null);
        if (vm == null) {
            return;
        }
        Path disk = host.volumePath(VmHost.diskName(vm));
        Files.deleteIfExists(RestoreVmDisk.sibling(disk, RestoreVmDisk.RESTORING));
        if (Files.deleteIfExists(disk)) {
            ctx.log("disk " + disk.getFileName() + " deleted");
        }
        area.release(vm);
        host.pool().refresh(0);
    }
}
