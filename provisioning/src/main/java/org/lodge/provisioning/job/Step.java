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

    default void compensate(JobContext ctx) throws Exception {
    }
}
