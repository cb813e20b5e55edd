package org.lodge.provisioning;

/** What a job does to its unit. */
public enum JobKind {
    CREATE_JAIL, START_JAIL, STOP_JAIL, RESTART_JAIL, DELETE_JAIL, GROW_JAIL_DISK, CHECK_JAIL_FILESYSTEM
}
