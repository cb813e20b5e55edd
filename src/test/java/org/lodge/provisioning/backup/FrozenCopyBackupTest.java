package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;

/**
 * The backup's parts without libvirt: a real ext4 image loop-mounted like a running jail's, with
 * files owned by a shifted uid range; frozen and copied, the copy clean, backed up by a real restic
 * into a fresh repository, restored and compared; a changed restored file is caught.
 */
class FrozenCopyBackupTest {

    @TempDir
    Path dir;

    private final HostCommands commands = new HostCommands();
    private BackupProperties props;
    private JailSnapshots snapshots;
    private ResticRepository restic;
    private Path mounted;

    @BeforeEach
    void aMountedImageWithShiftedOwners() throws Exception {
        props = new BackupProperties(dir.resolve("repo").toString(), dir.resolve("keys/restic.password").toString(),
                dir.resolve("cache").toString(), dir.resolve("work").toString(), "25%", Duration.ofMinutes(5),
                Duration.ofSeconds(30), 2, Duration.ofHours(1),
                "0 0 4 ? * SUN",
                Duration.ofDays(30));
        snapshots = new JailSnapshots(commands, props);
        restic = new ResticRepository(commands, props, new ObjectMapper());
        Path image = dir.resolve("jail.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(32L << 20);
        }
        commands.runChecked(Program.MKFS_EXT4, List.of("-q", "-F", "-E", "root_owner=300000:300000", image.toString()),
                Duration.ofMinutes(1));
        mounted = dir.resolve("mnt");
        snapshots.mount(image, mounted, false);
        Path site = Files.createDirectories(mounted.resolve("var/www/site"));
        Files.writeString(site.resolve("index.html"), "<p>hello</p>");
        Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));
        Files.write(site.resolve("blob.bin"), new byte[300_000]);
        for (Path p : List.of(site, site.resolve("index.html"), site.resolve("blob.bin"))) {
            Files.setAttribute(p, "unix:uid", 301000, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", 301000, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(site.resolve("index.html"), PosixFilePermissions.fromString("rw-r-----"));
    }

    @AfterEach
    void unmount() throws Exception {
        snapshots.thaw(mounted);
        snapshots.unmount(dir.resolve("work/j/tree"));
        snapshots.unmount(mounted);
    }

    @Test
    void backsUpTheFrozenCopyWithItsOwnersAndVerifiesItByATestRestore() throws Exception {
        Path copy = dir.resolve("work/j/frozen.img");
        JailSnapshots.Capture capture = snapshots.freezeAndCopy(dir.resolve("jail.img").toString(), mounted, copy, null);
        assertThat(capture.reflink()).as("this node's ext4 has no reflink").isFalse();
        assertThat(capture.freezeMs()).isLessThan(1000);
        Files.writeString(mounted.resolve("var/www/site/later.html"), "written after the freeze");
        assertThat(snapshots.fsck(copy).exitCode()).as("the frozen copy is clean").isZero();
        Path tree = dir.resolve("work/j/tree");
        snapshots.mount(copy, tree, true);
        assertThat(Files.exists(tree.resolve("var/www/site/later.html"))).as("the copy is the frozen moment").isFalse();

        assertThat(restic.ensureInitialised()).as("a new repository").isTrue();
        assertThat(restic.ensureInitialised()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/restic.password"))))
                .isEqualTo("rw-------");
        ResticRepository.Summary summary = restic.backup(tree, "node-a", List.of("lodge-unit=u1"));
        assertThat(summary.snapshotId()).matches("[0-9a-f]{8,64}");
        assertThat(summary.totalFiles()).isEqualTo(2);
        assertThat(summary.dataAdded()).isPositive();
        assertThat(restic.snapshot(summary.snapshotId()).path("tags").toString()).contains("lodge-unit=u1");
        restic.check();

        Path scratch = Files.createDirectories(dir.resolve("work/j/verify"));
        restic.restore(summary.snapshotId(), scratch);
        assertThat(Files.getAttribute(scratch.resolve("var/www/site/index.html"), "unix:uid")).isEqualTo(301000);
        TreeComparison.Comparison same = TreeComparison.compare(tree, scratch);
        assertThat(same.entries()).isGreaterThanOrEqualTo(6);
        assertThat(same.hashed()).isEqualTo(2);

        Files.writeString(scratch.resolve("var/www/site/index.html"), "<p>HELLO</p>");
        assertThatThrownBy(() -> TreeComparison.compare(tree, scratch)).hasMessageContaining("other content");
        Files.writeString(scratch.resolve("var/www/site/index.html"), "<p>hello</p>");
        Files.setAttribute(scratch.resolve("var/www/site/blob.bin"), "unix:uid", 0);
        assertThatThrownBy(() -> TreeComparison.compare(tree, scratch)).hasMessageContaining("differs");
    }

    @Test
    void everyCopyOfAUnitIsMountedThroughItsOwnLoopDeviceSoAnUnchangedBackupWritesNothing() throws Exception {
        Path copy = dir.resolve("work/j/frozen.img");
        Path tree = dir.resolve("work/j/tree");
        int loop = JailSnapshots.loopIndex(java.util.UUID.randomUUID());
        snapshots.freezeAndCopy(dir.resolve("jail.img").toString(), mounted, copy, null);
        assertThat(snapshots.mountCopy(copy, tree, loop)).isTrue();
        Object device = Files.getAttribute(tree.resolve("var/www/site/index.html"), "unix:dev");
        assertThat(device).as("major 7, minor = the unit's index (glibc's dev_t)")
                .isEqualTo((long) (loop & 0xff) | (7L << 8) | ((long) (loop & ~0xff) << 12));
        ResticRepository.Summary first = restic.backup(tree, "node-a", List.of("lodge-unit=u2"));
        snapshots.unmount(tree);

        // The next backup: a new copy, a new mount, the same device; restic finds nothing changed.
        snapshots.freezeAndCopy(dir.resolve("jail.img").toString(), mounted, copy, null);
        assertThat(snapshots.mountCopy(copy, tree, loop)).isTrue();
        assertThat(Files.getAttribute(tree.resolve("var/www/site/index.html"), "unix:dev")).isEqualTo(device);
        ResticRepository.Summary second = restic.backup(tree, "node-a", List.of("lodge-unit=u2"), first.snapshotId());
        assertThat(second.unchangedFrom()).isEqualTo(first.snapshotId());
        assertThat(second.dataAdded()).as("no tree written anew").isZero();
    }

    @Test
    void aNewFtpPasswordReplacesOnlyTheAccountsHash() throws Exception {
        Path shadow = dir.resolve("shadow");
        Files.writeString(shadow, "root:!:19000:0:99999:7:::\nweb1:$6$old$hash:19000:0:99999:7:::\nnobody:!:19000::::::\n");
        RestoreJailImage.newFtpPassword(shadow, "web1", "secret-password");
        List<String> lines = Files.readAllLines(shadow);
        assertThat(lines.get(0)).isEqualTo("root:!:19000:0:99999:7:::");
        assertThat(lines.get(1)).startsWith("web1:$6$").endsWith(":19000:0:99999:7:::").doesNotContain("old");
        assertThat(lines.get(2)).isEqualTo("nobody:!:19000::::::");
        assertThatThrownBy(() -> RestoreJailImage.newFtpPassword(shadow, "web2", "x")).hasMessageContaining("web2");
    }
}
