package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * One point in time of a jail, taken while it keeps running: its filesystem frozen for as long as
 * a copy of its image takes (the measured time goes to the log and the backup's row), the copy
 * checked with {@code e2fsck -fn} and mounted read-only for restic. Undone by releasing the copy;
 * its compensation also records the backup as failed.
 */
@Component
public class CaptureJail extends UnitStep {

    private final JailHost host;
    private final JailSnapshots snapshots;
    private final Backups backups;
    private final JailWrites writes;

    public CaptureJail(UnitRepository units, JailHost host, JailSnapshots snapshots, Backups backups,
                       JailWrites writes) {
        super(units);
        this.host = host;
        this.snapshots = snapshots;
        this.backups = backups;
        this.writes = writes;
    }

    @Override
    public String name() {
        return "freeze-and-copy";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        // The backup's row exists: NothingWritten, the plan's first step, made it (and checked the kind).
        UnitEntity jail = unit(ctx);
        boolean running = host.isRunning(jail) && host.isMounted(jail);
        Path mounted = running ? host.mountPoint(jail) : null;
        if (running) {
            // A worker killed while the jail was frozen must not leave it frozen.
            snapshots.thaw(mounted);
        }
        snapshots.release(jail);
        String image = host.imagePath(jail);
        JailWrites.Mount mount = running ? writes.mount(jail).orElse(null) : null;
        JailSnapshots.Capture capture = snapshots.freezeAndCopy(image, mounted, snapshots.copy(jail), mount);
        String how = capture.reflink() ? "reflink clone" : "sparse copy";
        backups.writesAtFreeze(ctx.jobId(), capture.mark());
        if (running) {
            ctx.log(JobWords.FROZEN.with(capture.freezeMs(), how));
            backups.frozen(ctx.jobId(), capture.freezeMs());
            ctx.log(capture.mark() == null ? "no write counter recorded for this point in time: the next backup runs in full"
                    : "write counter at the freeze: " + capture.mark().writeKbytes() + " KiB written to the filesystem");
        } else {
            ctx.log(JobWords.COPIED_STOPPED.with(how));
            backups.frozen(ctx.jobId(), 0);
        }
        HostCommands.Result fsck = snapshots.fsck(snapshots.copy(jail));
        if (fsck.exitCode() != 0) {
            throw new IllegalStateException("the copy is not a consistent filesystem: e2fsck -fn exited with "
                    + fsck.exitCode());
        }
        ctx.log("the copy is a clean filesystem (e2fsck -fn: " + fsck.output().lines()
                .reduce((first, last) -> last).orElse("") + ")");
        int loop = JailSnapshots.loopIndex(jail.id());
        boolean pinned = snapshots.mountCopy(snapshots.copy(jail), snapshots.tree(jail), loop);
        ctx.log(JobWords.COPY_MOUNTED.with());
        if (!pinned) {
            ctx.log("loop device " + loop + " busy: the copy went through another, so restic writes its trees anew");
        }
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        unitIfPresent(ctx).ifPresent(jail -> {
            if (host.isMounted(jail)) {
                // A step cancelled by its timeout must not leave the jail frozen.
                snapshots.thaw(host.mountPoint(jail));
            }
            try {
                snapshots.release(jail);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        backups.failed(ctx.jobId());
    }
}
