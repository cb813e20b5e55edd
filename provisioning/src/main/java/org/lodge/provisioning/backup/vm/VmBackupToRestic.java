package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * restic reads the scratch directory (the flattened image, the domain XML, the facts): its
 * content-defined chunks make a new backup of a VM store only what changed since the last one.
 */
@Component
public class VmBackupToRestic extends UnitStep {

    private final VmBackupArea area;
    private final ResticRepository restic;
    private final Backups backups;

    public VmBackupToRestic(UnitRepository units, VmBackupArea area, ResticRepository restic, Backups backups) {
        super(units);
        this.area = area;
        this.restic = restic;
        this.backups = backups;
    }

    @Override
    public String name() {
        return "restic-backup";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity vm = unit(ctx);
        if (!Files.isRegularFile(area.scratch(vm).resolve(VmBackupArea.IMAGE))) {
            throw new IllegalStateException("the scratch image is missing");
        }
        if (restic.ensureInitialised()) {
            ctx.log("restic repository created at " + restic.location());
        }
        ResticRepository.Summary s = restic.backup(area.scratch(vm), vm.nodeName(),
                List.of(ResticRepository.unitTag(vm.id()), "lodge-job=" + ctx.jobId(), "lodge-kind=vm"));
        backups.taken(ctx.jobId(), s);
        ctx.log("restic snapshot " + s.snapshotId() + ": " + s.totalFiles() + " files, " + s.totalBytes()
                + " bytes read, " + s.dataAdded() + " bytes added to the repository (deduplicated), in "
                + String.format(Locale.ROOT, "%.2f", s.seconds()) + " s");
    }
}
