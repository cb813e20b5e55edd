package org.lodge.provisioning;

/** The modern form of {@code jailctl status}, for jails and VMs alike. */
public enum UnitState {
    PROVISIONING, RUNNING, PAUSED, SAVED, STOPPED, NOT_CONFIGURED, DELETING
}
