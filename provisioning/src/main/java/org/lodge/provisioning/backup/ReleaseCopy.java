package org.lodge.provisioning.backup;

import java.io.IOException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;

/**
 * Releases the capture (unmounted and deleted) once the backup is verified; on a failure the
 * capture step's compensation does it.
 */
public class ReleaseCopy extends UnitStep {

    private final CapturedTree captured;
    private final String name;
    private final String released;

    ReleaseCopy(UnitRepository units, CapturedTree captured, String name, String released) {
        super(units);
        this.captured = captured;
        this.name = name;
        this.released = released;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        captured.release(unit(ctx));
        ctx.log(released);
    }
}
