package org.lodge.provisioning;

/** The modern form of {@code jailctl status}: running, stopped, or not configured / failed. */
public enum JailState {
    PROVISIONING, RUNNING, STOPPED, NOT_CONFIGURED, DELETING
}
