package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Path;
import org.lodge.provisioning.jail.ImageSwap;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/** Deletes the image a restore or a reinstall replaced, once the restored jail has passed its HTTP and FTP proofs. */
@Component
public class DropPreviousImage extends UnitStep {

    private final JailHost host;

    public DropPreviousImage(UnitRepository units, JailHost host) {
        super(units);
        this.host = host;
    }

    @Override
    public String name() {
        return "drop-previous-image";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        if (new ImageSwap(Path.of(host.imagePath(unit(ctx))), ctx.jobId()).dropPrevious()) {
            ctx.log(JobWords.PREVIOUS_IMAGE_DELETED.with());
        }
    }
}
