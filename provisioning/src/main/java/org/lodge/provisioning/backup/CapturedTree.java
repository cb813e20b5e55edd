package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.unit.UnitEntity;

/**
 * Where a backup job's capture of a unit lives (a jail's frozen copy, a VM's scratch image): what
 * restic reads, how a test restore of it is proven and how it is released. The backup steps
 * shared by jails and VMs ({@link BackupSteps}) are built with one of these by their plans.
 */
public interface CapturedTree {

    /** What restic reads: the same path for every backup of the unit, so restic finds its parent snapshot. */
    Path tree(UnitEntity unit);

    /** Throws unless the capture is there to be read. */
    void requireCaptured(UnitEntity unit);

    /** restic tags beside the unit's and the job's. */
    List<String> tags();

    /** The bytes in use in what was captured, against which "suspiciously small" is judged. */
    long usedBytes(UnitEntity unit) throws IOException;

    /** Where the verification restores the snapshot (emptied before and after). */
    Path verifyDir(UnitEntity unit);

    /**
     * Proves that {@code restored}, a test restore of backup {@code backupId}, is what was captured;
     * throws at the first difference, else says what was proven (for the job log).
     */
    String proveRestored(UnitEntity unit, UUID backupId, Path restored) throws IOException;

    /** Deletes the capture and every scratch directory of the unit's backup. */
    void release(UnitEntity unit) throws IOException;
}
