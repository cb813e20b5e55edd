package org.lodge.provisioning.backup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;

/**
 * restic reads the capture (a jail's frozen copy, never its live tree; a VM's flattened image with
 * its domain XML and facts), owners as stored, tagged with the unit and the job. Its
 * content-defined chunks make a backup store only what changed since the unit's last one. The
 * snapshot stays unverified until the verify step. When restic reports nothing new or changed
 * against the parent, the two snapshots' root trees are compared: only the same tree makes the
 * backup "unchanged" ({@code backup.unchanged_from}, {@code tree_id}).
 */
public class BackupToRestic extends CaptureStep {

    BackupToRestic(UnitRepository units, CapturedTree captured, ResticRepository restic, Backups backups) {
        super(units, captured, restic, backups);
    }

    @Override
    public String name() {
        return "restic-backup";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity unit = unit(ctx);
        captured.requireCaptured(unit);
        if (restic.ensureInitialised()) {
            ctx.log("restic repository created at " + restic.location());
        }
        List<String> tags = new ArrayList<>(List.of(ResticRepository.unitTag(unit.id()), "lodge-job=" + ctx.jobId()));
        tags.addAll(captured.tags());
        // Named, not searched for: restic would read every snapshot of the node's repository to find it.
        String parent = backups.lastSnapshot(unit.id(), restic.location(), ctx.jobId()).orElse(null);
        ResticRepository.Summary s = restic.backup(captured.tree(unit), unit.nodeName(), tags, parent);
        String tree = null;
        if (s.unchangedFrom() != null) {
            // "Nothing new or changed" is restic's count; the same root tree is the proof of the same content.
            Map<String, String> trees = restic.trees(List.of(s.snapshotId(), s.unchangedFrom()));
            tree = trees.get(s.snapshotId());
            boolean same = tree != null && !tree.isEmpty() && tree.equals(trees.get(s.unchangedFrom()));
            ctx.log("root tree " + tree + (same ? ", the same as snapshot " : ", not the tree of snapshot ") + s.unchangedFrom());
            if (!same) {
                s = s.changed();
            }
        }
        backups.taken(ctx.jobId(), s, tree);
        ctx.log("restic snapshot " + s.snapshotId() + ": " + s.totalFiles() + " files, " + s.totalBytes()
                + " bytes read (" + s.filesNew() + " new, " + s.filesChanged() + " changed, " + s.filesUnmodified()
                + " unchanged" + (parent == null ? "" : " against snapshot " + parent) + "), " + s.dataAdded() + " bytes added to the repository (deduplicated), in "
                + String.format(Locale.ROOT, "%.2f", s.seconds()) + " s");
    }
}
