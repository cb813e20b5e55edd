package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * A {@code tar.zst} archive of chosen files and folders of a verified backup, for the owner to
 * download: restic restores them into the job's scratch directory, GNU tar archives them (zstd
 * compresses; owners are not kept: the files are the customer's wherever they unpack them), and
 * the archive goes into PostgreSQL, where the portal streams it from. The selection and the
 * archive must both fit {@code lodge.backup.files.max-download}. Doing it again replaces the archive.
 */
@Component
public class ArchiveJailFiles extends UnitStep {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final JailFiles files;
    private final HostCommands commands;
    private final BackupDownloads downloads;
    private final BackupFilesProperties props;

    public ArchiveJailFiles(UnitRepository units, JailFiles files, HostCommands commands, BackupDownloads downloads,
                            BackupFilesProperties props) {
        super(units);
        this.files = files;
        this.commands = commands;
        this.downloads = downloads;
        this.props = props;
    }

    @Override
    public String name() {
        return "archive-files";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        int purged = downloads.purgeExpired();
        if (purged > 0) {
            ctx.log(purged + " expired download archive(s) deleted");
        }
        JailFiles.Selection selection = files.selection(ctx, jail);
        long max = props.maxDownload().toBytes();
        long bytes = files.check(selection, ctx);
        if (bytes > max) {
            throw new IllegalStateException(tooLarge("the chosen files take", bytes, max));
        }
        Path scratch = files.scratch(jail, ctx);
        try {
            Path site = files.restore(selection, scratch);
            Path archive = scratch.resolve("files.tar.zst");
            List<String> args = new ArrayList<>(List.of("--create", "--zstd", "--file", archive.toString(),
                    "--directory", site.toString(), "--owner=0", "--group=0", "--numeric-owner", "--"));
            args.addAll(selection.paths());
            commands.runChecked(Program.TAR, args, Duration.ofHours(1));
            long size = Files.size(archive);
            if (size > max) {
                throw new IllegalStateException(tooLarge("the archive takes", size, max));
            }
            String name = jail.domain() + "-" + STAMP.format(selection.backup().takenAt()) + ".tar.zst";
            Instant expires = Instant.now().plus(props.keepDownload());
            String sha256 = downloads.store(ctx.jobId(), jail, selection.backup().id(), name, archive, expires);
            ctx.log(name + ": " + size + " bytes (SHA-256 " + sha256 + "), downloadable until " + expires);
        } finally {
            files.dropScratch(jail, ctx);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        downloads.delete(ctx.jobId());
        UnitEntity jail = unitIfPresent(ctx).orElse(null);
        if (jail != null) {
            files.dropScratch(jail, ctx);
        }
    }

    private static String tooLarge(String what, long bytes, long max) {
        return what + " " + (bytes >> 20) + " MiB, more than the " + (max >> 20) + " MiB a download may hold;"
                + " choose fewer files";
    }
}
