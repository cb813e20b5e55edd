package org.lodge.provisioning;

/** What a unit is: a jail (libvirt LXC container) or a VM (libvirt QEMU/KVM guest). */
public enum UnitKind {
    JAIL(JobKind.CREATE_JAIL, JobKind.GROW_JAIL_DISK), VM(JobKind.CREATE_VM, JobKind.GROW_VM_DISK);

    private final JobKind createJob;
    private final JobKind growJob;

    UnitKind(JobKind createJob, JobKind growJob) {
        this.createJob = createJob;
        this.growJob = growJob;
    }

    /** Whether the job creates a unit (and so has FTP credentials to reveal). */
    public static boolean isCreation(JobKind job) {
        return job == JobKind.CLONE_VM || job == JobKind.RESTORE_NEW_JAIL || job == JobKind.RESTORE_NEW_VM
                || java.util.Arrays.stream(values()).anyMatch(kind -> kind.createJob == job);
    }

    /**
     * Whether the job ends with a new FTP password to reveal once: a creation, a reset, or a
     * restore in place (the restored jail's account gets a new password, see docs/backups.md).
     */
    public static boolean revealsCredentials(JobKind job) {
        return isCreation(job) || revealsToRequesterOnly(job) || job == JobKind.RESTORE_JAIL
                || job == JobKind.RESTORE_VM_BACKUP;
    }

    /** A new password someone asked for on an existing unit belongs to them, not to everyone who may read the job. */
    public static boolean revealsToRequesterOnly(JobKind job) {
        return job == JobKind.RESET_JAIL_FTP_PASSWORD || job == JobKind.REINSTALL_JAIL || job == JobKind.REINSTALL_VM;
    }

    public JobKind createJob() {
        return createJob;
    }

    public JobKind growJob() {
        return growJob;
    }
}
