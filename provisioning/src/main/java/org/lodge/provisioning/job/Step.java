package org.lodge.provisioning.job;

import java.time.Duration;

/**
 * One ordered, logged step of a job. {@link #execute} must be idempotent: a job revived after a
 * crash runs its steps again, so each one first checks whether its effect already exists.
 * {@link #compensate} undoes the effect, and is idempotent as well.
 */
public interface Step {

    String name();

    default Duration timeout() {
        return Duration.ofSeconds(60);
    }

    void execute(JobContext ctx) throws Exception;

    /**
     * True for a step that writes nothing of its job's unit (nor changes it in memory), itself or
     * through what it calls: the unit it read stays true for the next step, which may use that copy
     * instead of reading it again ({@link JobContext#shared}). A step that may write the unit, which
     * is the default, reads afresh, and so do the steps after it.
     */
    default boolean onlyReadsUnit() {
        return false;
    }

    default void compensate(JobContext ctx) throws Exception {
    }
}
