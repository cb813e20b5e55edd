package org.lodge.provisioning.backup.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.lodge.provisioning.backup.BackupProperties;
import org.lodge.provisioning.backup.CapturedTree;
import org.lodge.provisioning.backup.JailSnapshots;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/**
 * The work area of a VM's backup under {@code lodge.backup.work-dir}/&lt;libvirt name&gt;: the
 * scratch directory restic reads (the flattened disk image, the domain XML, the facts), the scratch
 * restore of the verification and the restore of a disk being put back. Everything here is derived
 * and deleted at the end of each job, whatever happens. Images are handled with {@code qemu-img}
 * through the allow-listed executor.
 */
@Component
public class VmBackupArea implements CapturedTree {

    static final String IMAGE = "disk.qcow2";
    static final String DOMAIN_XML = "domain.xml";
    static final String FACTS = "facts.json";
    private static final Duration IMAGE_TOOL = Duration.ofMinutes(30);

    private final BackupProperties props;
    private final HostCommands commands;
    private final ObjectMapper json;
    private final VmBackupRows rows;

    public VmBackupArea(BackupProperties props, HostCommands commands, ObjectMapper json, VmBackupRows rows) {
        this.props = props;
        this.commands = commands;
        this.json = json;
        this.rows = rows;
    }

    private Path dir(UnitEntity vm) {
        return Path.of(props.workDir(), vm.libvirtName());
    }

    /** What restic reads: the same path for every backup of the unit, so restic finds its parent snapshot. */
    public Path scratch(UnitEntity vm) {
        return dir(vm).resolve("vm-backup");
    }

    @Override
    public Path tree(UnitEntity vm) {
        return scratch(vm);
    }

    @Override
    public void requireCaptured(UnitEntity vm) {
        if (!Files.isRegularFile(scratch(vm).resolve(IMAGE))) {
            throw new IllegalStateException("the scratch image is missing");
        }
    }

    @Override
    public List<String> tags() {
        return List.of("lodge-kind=vm");
    }

    /**
     * The bytes of the scratch directory (the flattened image: its allocated clusters, and the two
     * small files): restic must have read them all, or the backup is suspiciously small.
     */
    @Override
    public long usedBytes(UnitEntity vm) throws IOException {
        try (Stream<Path> files = Files.list(scratch(vm))) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    @Override
    public Path verifyDir(UnitEntity vm) {
        return dir(vm).resolve("vm-verify");
    }

    /**
     * The restored image passes {@code qemu-img check} and has the SHA-256 recorded at the
     * capture; the domain XML and facts are byte for byte those backed up.
     */
    @Override
    public String proveRestored(UnitEntity vm, UUID backupId, Path restored) throws IOException {
        VmFacts facts = rows.facts(backupId).orElseThrow(() -> new IllegalStateException("the backup has no facts"));
        Path image = restored.resolve(IMAGE);
        String check = check(image);
        if (!sha256(image).equals(facts.imageSha256())) {
            throw new IllegalStateException("the test restore's image has another SHA-256 than the captured one");
        }
        for (String file : new String[] {DOMAIN_XML, FACTS}) {
            if (!Arrays.equals(Files.readAllBytes(restored.resolve(file)), Files.readAllBytes(scratch(vm).resolve(file)))) {
                throw new IllegalStateException(file + " differs in the test restore");
            }
        }
        return "qemu-img check: " + check + "; image SHA-256 as captured; domain XML and facts identical";
    }

    public Path restore(UnitEntity vm) {
        return dir(vm).resolve("vm-restore");
    }

    /** Deletes the scratch image, the verification's and the restore's copies. */
    @Override
    public void release(UnitEntity vm) throws IOException {
        JailSnapshots.deleteTree(scratch(vm));
        JailSnapshots.deleteTree(verifyDir(vm));
        JailSnapshots.deleteTree(restore(vm));
        try {
            Files.deleteIfExists(dir(vm));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Something else is in there (not ours to delete): leave the directory.
        }
    }

    /** The disk chain (a linked clone on its template's base) flattened into one standalone qcow2. */
    public void flatten(Path disk, Path target) {
        commands.runChecked(Program.QEMU_IMG, List.of("convert", "-O", "qcow2", disk.toString(), target.toString()),
                IMAGE_TOOL);
    }

    /** {@code qemu-img check}: the image's metadata is consistent; its last line of report. */
    public String check(Path image) {
        HostCommands.Result result = commands.run(Program.QEMU_IMG, List.of("check", "-f", "qcow2", image.toString()),
                IMAGE_TOOL);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("qemu-img check of " + image.getFileName() + " exited with "
                    + result.exitCode() + ": " + result.output().strip());
        }
        // "No errors were found on the image." and the allocation line; not the end offset.
        return String.join("; ", result.output().strip().lines().limit(2).toList());
    }

    /** The guest-visible size of an image, from {@code qemu-img info --output=json}. */
    public long virtualSize(Path image) throws IOException {
        HostCommands.Output out = commands.capture(Program.QEMU_IMG, List.of("info", "--output=json", "-f", "qcow2",
                image.toString()), IMAGE_TOOL, Path.of("/"));
        if (out.exitCode() != 0) {
            throw new IllegalStateException("qemu-img info of " + image.getFileName() + ": " + out.stderr());
        }
        return json.readTree(out.stdout()).path("virtual-size").asLong();
    }

    /** Grows an image (stopped) to {@code bytes}: a unit grown since its backup keeps its size. */
    public void grow(Path image, long bytes) {
        commands.runChecked(Program.QEMU_IMG, List.of("resize", "-f", "qcow2", image.toString(), String.valueOf(bytes)),
                IMAGE_TOOL);
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
