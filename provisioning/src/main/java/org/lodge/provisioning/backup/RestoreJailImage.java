package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.ImageSwap;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Builds the stopped jail's image again from a verified backup, beside the current one: a new
 * ext4 image of the unit's size, the snapshot restored into it by restic (owners, modes, links as
 * backed up), the FTP account's new password hash written into its {@code /etc/shadow}, checked
 * with {@code e2fsck -fn}; only then the two files swap names. The previous image is kept as
 * {@code .pre-restore} until the jail has passed its proofs; undoing the step puts it back, so a
 * failed restore leaves the unit as it was.
 */
@Component
public class RestoreJailImage extends UnitStep {

    private static final Duration COMMAND = Duration.ofMinutes(10);

    private final JailHost host;
    private final JailSnapshots snapshots;
    private final ResticRepository restic;
    private final Backups backups;
    private final HostCommands commands;
    private final CreateFtpAccount account;

    public RestoreJailImage(UnitRepository units, JailHost host, JailSnapshots snapshots, ResticRepository restic,
                            Backups backups, HostCommands commands, CreateFtpAccount account) {
        super(units);
        this.host = host;
        this.snapshots = snapshots;
        this.restic = restic;
        this.backups = backups;
        this.commands = commands;
        this.account = account;
    }

    @Override
    public String name() {
        return "restore-image";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        UUID backupId = UUID.fromString(ctx.params().path("backup").asText());
        BackupView backup = backups.find(backupId).filter(b -> b.unitId().equals(jail.id()))
                .filter(b -> b.verified() && b.snapshotId() != null)
                .orElseThrow(() -> new IllegalStateException("backup " + backupId + " is not a verified backup of "
                        + jail.domain()));
        ImageSwap swap = new ImageSwap(Path.of(host.imagePath(jail)), ctx.jobId());
        if (swap.swapped()) {
            ctx.log(JobWords.ALREADY_RESTORED.with(backup.snapshotId()));
            return;
        }
        if (host.isRunning(jail) || host.isMounted(jail)) {
            throw new IllegalStateException("the jail must be stopped and its image unmounted to restore it");
        }
        Path mount = snapshots.restoreMount(jail);
        snapshots.unmount(mount);
        Path fresh = swap.prepareFresh(jail.diskBytes());
        commands.runChecked(Program.MKFS_EXT4, RootFilesystem.mkfsArguments(jail, null, fresh.toString()), COMMAND);
        snapshots.mount(fresh, mount, false);
        try {
            restic.restore(backup.snapshotId(), mount);
            ctx.log("snapshot " + backup.snapshotId() + " of " + backup.takenAt() + " restored into a new image of "
                    + jail.diskBytes() + " bytes");
            newFtpPassword(mount.resolve("etc/shadow"), jail.ftpUser(), account.password(ctx));
            ctx.log(JobWords.RESTORED_FTP.with(jail.ftpUser()));
        } finally {
            snapshots.unmount(mount);
            JailSnapshots.deleteTree(mount);
            snapshots.dropDirIfEmpty(jail);
        }
        HostCommands.Result fsck = snapshots.fsck(fresh);
        if (fsck.exitCode() != 0) {
            throw new IllegalStateException("the restored image fails e2fsck -fn (exit " + fsck.exitCode() + ")");
        }
        ctx.log(JobWords.RESTORED_CLEAN.with());
        swap.swapIn();
        ctx.log(JobWords.RESTORED_IN_PLACE.with());
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        UnitEntity jail = unitIfPresent(ctx).orElse(null);
        if (jail == null) {
            return;
        }
        snapshots.unmount(snapshots.restoreMount(jail));
        ImageSwap swap = new ImageSwap(Path.of(host.imagePath(jail)), ctx.jobId());
        if (swap.keepsPrevious() && (host.isRunning(jail) || host.isMounted(jail))) {
            throw new IllegalStateException("the jail still uses the restored image; stop it first");
        }
        if (swap.putBack()) {
            ctx.log(JobWords.PREVIOUS_IMAGE_BACK.with());
        }
    }

    /** Replaces the hash of {@code user} in a restored shadow file, keeping the file's owner and mode. */
    static void newFtpPassword(Path shadow, String user, String password) throws IOException {
        List<String> lines = Files.readAllLines(shadow, StandardCharsets.UTF_8);
        String hash = Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(":", -1);
            if (fields.length > 2 && fields[0].equals(user)) {
                fields[1] = hash;
                lines.set(i, String.join(":", fields));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("the restored /etc/shadow has no FTP user " + user);
        }
        Files.writeString(shadow, lines.stream().collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
    }
}
