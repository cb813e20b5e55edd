package org.lodge.provisioning.backup.vm;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

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

/**
 * The part shared by the two restores of a VM's disk (in place, into a new VM): the job's backup
 * brought back and proven ({@link VmImageFetch}), moved beside the unit's disk as
 * {@code <disk>.restoring}; and its clean-up.
 */
abstract class VmDiskFromBackup extends UnitStep {

    static final String RESTORING = ".restoring";

    protected final VmHost host;
    private final VmImageFetch fetch;
    private final VmBackupArea area;

    VmDiskFromBackup(UnitRepository units, VmHost host, VmImageFetch fetch, VmBackupArea area) {
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

    static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** The job's backup image, proven, at {@code <disk>.restoring} (same directory: the swap is a rename). */
    protected Path fetchBeside(JobContext ctx, UnitEntity vm, Path disk) throws IOException {
        Path image = fetch.fetch(UUID.fromString(ctx.params().path("backup").asText()), vm, ctx::log);
        Path restoring = sibling(disk, RESTORING);
        Files.move(image, restoring, REPLACE_EXISTING);
        return restoring;
    }

    /** The pool sees the swapped volumes; the restore's scratch directory goes. */
    protected void swapped(UnitEntity vm) throws IOException, LibvirtException {
        host.pool().refresh(0);
        area.release(vm);
    }

    /** Undoes {@link #fetchBeside}: the half-restored image and the scratch directory go. */
    protected void discard(UnitEntity vm, Path disk) throws IOException, LibvirtException {
        Files.deleteIfExists(sibling(disk, RESTORING));
        area.release(vm);
        host.pool().refresh(0);
    }
}
