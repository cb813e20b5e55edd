package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;

/** A step that acts on the job's jail, read fresh from the database each time. */
abstract class JailStep implements Step {

    private final JailRepository jails;

    JailStep(JailRepository jails) {
        this.jails = jails;
    }

    JailEntity jail(JobContext ctx) {
        return jails.findById(ctx.unitId())
                .orElseThrow(() -> new IllegalStateException("jail " + ctx.unitId() + " no longer exists"));
    }

    /** For compensations, which must not fail when there is nothing left to undo. */
    java.util.Optional<JailEntity> jailIfPresent(JobContext ctx) {
        return jails.findById(ctx.unitId());
    }

    JailRepository jails() {
        return jails;
    }
}
