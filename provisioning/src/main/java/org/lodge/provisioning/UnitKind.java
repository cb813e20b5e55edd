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
        return job == JobKind.CLONE_VM || java.util.Arrays.stream(values()).anyMatch(kind -> kind.createJob == job);
    }

    public JobKind createJob() {
        return createJob;
    }

    public JobKind growJob() {
        return growJob;
    }
}
