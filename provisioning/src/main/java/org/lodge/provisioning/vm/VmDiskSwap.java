package org.lodge.provisioning.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.lodge.provisioning.jail.ImageSwap;
import org.lodge.provisioning.unit.UnitEntity;

/**
 * One job's replacement of a stopped VM's disk, and of the NoCloud seed beside it, with the way
 * back: two {@link ImageSwap}s, so the disk and the seed put aside as {@code .pre-restore} both
 * carry the job's id. The new disk is made as {@code <disk>.restoring} ({@link #fresh}); the seed is
 * only set aside (the job's next step writes a new one). Used by the in-place restore of a backup and
 * the reinstall. A disk or seed kept aside by another job is neither taken for this job's swap nor
 * put back or dropped by it: {@link #swapped} refuses to go on.
 */
public record VmDiskSwap(ImageSwap disk, ImageSwap seed) {

    public VmDiskSwap(Path disk, Path seed, UUID job) {
        this(new ImageSwap(disk, job), new ImageSwap(seed, job));
    }

    /** The swap of this VM's disk and seed by {@code job}. */
    public static VmDiskSwap of(VmHost host, UnitEntity vm, UUID job) {
        return new VmDiskSwap(host.volumePath(VmHost.diskName(vm)), host.volumePath(VmHost.seedName(vm)), job);
    }

    /** Where the new disk is made before the swap. */
    public Path fresh() {
        return disk.fresh();
    }

    /**
     * Whether this job has swapped the disk already (a revived job must not fetch or swap again).
     *
     * @throws IllegalStateException when the disk or the seed kept aside is another job's
     */
    public boolean swapped() throws IOException {
        seed.swapped(); // for its refusal of another job's seed; the disk is swapped last, so it tells
        return disk.swapped();
    }

    /** The seed set aside (unless this job did so already), then the new disk in place, the current one aside. */
    public void swapIn() throws IOException {
        if (!seed.keepsPrevious() && Files.exists(seed.image())) {
            seed.setAside();
        }
        disk.swapIn();
    }

    /** Undoes {@link #swapIn} as far as it went; what came back, for the job's log. Another job's files stay. */
    public String putBack() throws IOException {
        boolean diskBack = disk.putBack();
        boolean seedBack = seed.putBack();
        return diskBack && seedBack ? "previous disk and seed put back"
                : diskBack ? "previous disk put back"
                : seedBack ? "previous seed put back"
                : "nothing of this job kept aside";
    }

    /** Deletes the disk and seed this job kept aside, once the VM has passed its proofs. */
    public boolean dropPrevious() throws IOException {
        boolean diskDropped = disk.dropPrevious();
        return seed.dropPrevious() || diskDropped;
    }
}
