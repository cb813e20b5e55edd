package org.lodge.provisioning;

/** A job's life: ENQUEUED → RUNNING → OK, or → COMPENSATING → KO. */
public enum JobState {
    ENQUEUED, RUNNING, COMPENSATING, OK, KO;

    public boolean isFinal() {
        return this == OK || this == KO;
    }
}
