package org.lodge.provisioning.backup;

import java.io.IOException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/** Unmounts and deletes the frozen copy once the backup is verified. */
@Component
public class ReleaseCopy extends UnitStep {

    private final JailSnapshots snapshots;

    public ReleaseCopy(UnitRepository units, JailSnapshots snapshots) {
        super(units);
        this.snapshots = snapshots;
    }

    @Override
    public String name() {
        return "release-copy";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        snapshots.release(unit(ctx));
        ctx.log("frozen copy unmounted and deleted");
    }
}
