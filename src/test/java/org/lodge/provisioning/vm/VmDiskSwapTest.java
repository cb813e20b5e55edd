package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-place restore's (and the reinstall's) disk and seed put aside are the job's own: plain
 * files in a temporary directory, as a VM's pool directory holds them and a job leaves them.
 */
class VmDiskSwapTest {

    @TempDir
    Path dir;

    private Path disk;
    private Path seed;

    @BeforeEach
    void aVmsDiskAndSeed() throws Exception {
        disk = dir.resolve("lodge-1.qcow2");
        seed = dir.resolve("lodge-1-seed.img");
        Files.writeString(disk, "current disk");
        Files.writeString(seed, "current seed");
    }

    @Test
    void aDiskAndSeedKeptAsideByAnotherJobAreNeitherThisJobsSwapNorPutBackNorDropped() throws Exception {
        VmDiskSwap crashed = new VmDiskSwap(disk, seed, UUID.randomUUID());
        swapInRestored(crashed);
        Files.writeString(seed, "the crashed job's seed");
        VmDiskSwap current = new VmDiskSwap(disk, seed, UUID.randomUUID());

        assertThatThrownBy(current::swapped).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("put aside by job " + crashed.disk().job());
        assertThat(current.putBack()).isEqualTo("nothing of this job kept aside");
        assertThat(current.dropPrevious()).isFalse();
        assertThat(disk).hasContent("restored disk");
        assertThat(seed).hasContent("the crashed job's seed");
        assertThat(current.disk().previous()).hasContent("current disk");
        assertThat(current.seed().previous()).hasContent("current seed");
    }

    @Test
    void aSeedKeptAsideByAnotherJobStopsTheSwapBeforeAnythingMoves() throws Exception {
        VmDiskSwap other = new VmDiskSwap(disk, seed, UUID.randomUUID());
        other.seed().setAside();
        Files.writeString(seed, "the other job's new seed");
        VmDiskSwap current = new VmDiskSwap(disk, seed, UUID.randomUUID());

        assertThatThrownBy(current::swapped).hasMessageContaining("put aside by job " + other.seed().job());
        assertThat(current.putBack()).isEqualTo("nothing of this job kept aside");
        assertThat(seed).hasContent("the other job's new seed");
        assertThat(current.seed().previous()).hasContent("current seed");
        assertThat(disk).hasContent("current disk");
    }

    @Test
    void aRevivedJobFindsItsSwapAndPutsTheDiskAndSeedBack() throws Exception {
        VmDiskSwap swap = new VmDiskSwap(disk, seed, UUID.randomUUID());
        assertThat(swap.swapped()).isFalse();
        swapInRestored(swap);
        Files.writeString(seed, "new seed"); // the next step's

        VmDiskSwap revived = new VmDiskSwap(disk, seed, swap.disk().job());
        assertThat(revived.swapped()).isTrue();
        assertThat(revived.putBack()).isEqualTo("previous disk and seed put back");
        assertThat(disk).hasContent("current disk");
        assertThat(seed).hasContent("current seed");
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".pre-restore")
                || p.getFileName().toString().endsWith(".restoring"));
    }

    @Test
    void aJobStoppedBetweenTheSeedAndTheDiskSwapsTheDiskWhenRevived() throws Exception {
        VmDiskSwap swap = new VmDiskSwap(disk, seed, UUID.randomUUID());
        swap.seed().setAside();

        VmDiskSwap revived = new VmDiskSwap(disk, seed, swap.disk().job());
        assertThat(revived.swapped()).as("the disk is not swapped yet").isFalse();
        swapInRestored(revived);
        assertThat(disk).hasContent("restored disk");
        assertThat(revived.seed().previous()).hasContent("current seed");

        assertThat(revived.dropPrevious()).isTrue();
        assertThat(revived.disk().previous()).doesNotExist();
        assertThat(revived.seed().previous()).doesNotExist();
        assertThat(disk).hasContent("restored disk");
    }

    /** As the restore does: the backup's image at {@code .restoring}, then the swap. */
    private static void swapInRestored(VmDiskSwap swap) throws Exception {
        Files.writeString(swap.fresh(), "restored disk");
        swap.swapIn();
    }
}
