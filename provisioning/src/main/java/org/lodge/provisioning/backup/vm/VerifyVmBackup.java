package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.JailSnapshots;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * A VM backup counts only once proven: {@code restic check --read-data-subset}, then a test
 * restore whose image passes {@code qemu-img check} and has the SHA-256 the capture recorded, and
 * whose domain XML and facts are byte for byte those backed up.
 */
@Component
public class VerifyVmBackup extends UnitStep {

    private final VmBackupArea area;
    private final VmBackupRows rows;
    private final ResticRepository restic;
    private final Backups backups;

    public VerifyVmBackup(UnitRepository units, VmBackupArea area, VmBackupRows rows, ResticRepository restic,
                          Backups backups) {
        super(units);
        this.area = area;
        this.rows = rows;
        this.restic = restic;
        this.backups = backups;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity vm = unit(ctx);
        BackupView backup = backups.find(ctx.jobId()).orElseThrow();
        if (backup.snapshotId() == null) {
            throw new IllegalStateException("the backup has no snapshot");
        }
        VmFacts facts = rows.facts(ctx.jobId()).orElseThrow(() -> new IllegalStateException("the backup has no facts"));
        restic.check();
        ctx.log("restic check --read-data-subset: no errors in the repository");
        Path restored = VmBackupArea.fresh(area.verify(vm));
        try {
            restic.restore(backup.snapshotId(), restored);
            Path image = restored.resolve(VmBackupArea.IMAGE);
            String check = area.check(image);
            String sha = VmBackupArea.sha256(image);
            if (!sha.equals(facts.imageSha256())) {
                throw new IllegalStateException("the test restore's image has another SHA-256 than the captured one");
            }
            for (String file : new String[] {VmBackupArea.DOMAIN_XML, VmBackupArea.FACTS}) {
                if (!Arrays.equals(Files.readAllBytes(restored.resolve(file)),
                        Files.readAllBytes(area.scratch(vm).resolve(file)))) {
                    throw new IllegalStateException(file + " differs in the test restore");
                }
            }
            ctx.log("test restore of " + backup.snapshotId() + ": qemu-img check: " + check + "; image SHA-256 as"
                    + " captured; domain XML and facts identical");
        } finally {
            JailSnapshots.deleteTree(restored);
        }
        backups.verified(ctx.jobId());
        ctx.log("backup verified");
    }
}
