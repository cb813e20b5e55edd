package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/** After the jail passed its HTTP test: the versions {@link RestoreJailFiles} moved aside are deleted. */
@Component
public class DropRestoredAside extends UnitStep {

    private final JailHost host;

    public DropRestoredAside(UnitRepository units, JailHost host) {
        super(units);
        this.host = host;
    }

    @Override
    public String name() {
        return "drop-previous-files";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        Path live = host.mountPoint(jail);
        RestoreJailFiles.remove(RestoreJailFiles.aside(live, ctx.jobId()));
        try {
            Files.deleteIfExists(live.resolve(RestoreJailFiles.ASIDE));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Another restore's leftovers, still to be undone or dropped by its own job.
        }
        ctx.log(JobWords.PREVIOUS_VERSIONS_DELETED.with());
    }
}
