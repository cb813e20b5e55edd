package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/** Deletes the scratch image once the backup is verified (on failure, the capture's compensation does). */
@Component
public class ReleaseVmScratch extends UnitStep {

    private final VmBackupArea area;

    public ReleaseVmScratch(UnitRepository units, VmBackupArea area) {
        super(units);
        this.area = area;
    }

    @Override
    public String name() {
        return "release-scratch";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        area.release(unit(ctx));
        ctx.log("scratch image deleted");
    }
}
