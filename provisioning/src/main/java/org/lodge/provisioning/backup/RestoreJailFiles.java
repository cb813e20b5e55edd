package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Chosen files and folders of a verified backup back in place in the running jail, through its
 * filesystem mounted on the node: restic restores them into a scratch directory, they are copied
 * into a root-only directory of the jail's own filesystem ({@code /.lodge-restore/<job>}, owners
 * moved to the jail's uid range), and then each one swaps in by renames on that filesystem: the
 * current version moves aside ({@code old}), the restored one takes its place. Undoing puts every
 * current version back; {@link DropRestoredAside} deletes them once the jail passed its HTTP test.
 * Each path's folder under the job's directory records how far it got, so a revived job goes on.
 */
@Component
public class RestoreJailFiles extends UnitStep {

    static final String ASIDE = ".lodge-restore";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final JailHost host;
    private final JailFiles files;

    public RestoreJailFiles(UnitRepository units, JailHost host, JailFiles files) {
        super(units);
        this.host = host;
        this.files = files;
    }

    @Override
    public String name() {
        return "restore-files";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        if (!host.isMounted(jail)) {
            throw new IllegalStateException("the jail is not running (its filesystem is not mounted on the node)");
        }
        JailFiles.Selection selection = files.selection(ctx, jail);
        Path aside = aside(jail, ctx);
        if (Files.exists(aside.resolve("swapped"))) {
            ctx.log("files already in place; their previous versions are kept aside");
            return;
        }
        files.check(selection, ctx);
        Path restored = files.restore(selection, files.scratch(jail, ctx));
        Path live = host.mountPoint(jail);
        Path webRoot = live.resolve(RootFilesystem.docroot(jail).substring(1));
        noLinksOnTheWay(live, webRoot);
        Files.createDirectories(aside.getParent());
        if (!Files.isDirectory(aside, NOFOLLOW)) {
            Files.createDirectory(aside, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        List<String> paths = selection.paths();
        for (int i = 0; i < paths.size(); i++) {
            Path item = aside.resolve(String.valueOf(i));
            Files.createDirectories(item);
            if (!swapped(item)) {
                remove(item.resolve("new"));
                RestoreSite.copyShifted(target(restored, paths.get(i)), item.resolve("new"), selection.uidBase(),
                        jail.uidBase());
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            swap(aside.resolve(String.valueOf(i)), target(webRoot, paths.get(i)), target(restored, paths.get(i)),
                    live, selection.uidBase(), jail.uidBase());
            ctx.log(selection.webRoot() + "/" + paths.get(i) + " restored in place");
        }
        Files.createFile(aside.resolve("swapped"));
        files.dropScratch(jail, ctx);
        ctx.log(paths.size() + " path(s) of the backup of " + selection.backup().takenAt() + " in place, owners in "
                + jail.domain() + "'s uid range; the previous versions are kept aside until the HTTP test passed");
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        UnitEntity jail = unitIfPresent(ctx).orElse(null);
        if (jail == null) {
            return;
        }
        Path aside = aside(jail, ctx);
        if (host.isMounted(jail) && Files.isDirectory(aside, NOFOLLOW)) {
            Path webRoot = host.mountPoint(jail).resolve(RootFilesystem.docroot(jail).substring(1));
            List<String> paths = new ArrayList<>();
            ctx.params().path("paths").forEach(p -> paths.add(p.asText()));
            for (int i = paths.size() - 1; i >= 0; i--) {
                putBack(aside.resolve(String.valueOf(i)), target(webRoot, paths.get(i)));
            }
            remove(aside);
            ctx.log("the jail's files are as they were before the restore");
        }
        files.dropScratch(jail, ctx);
    }

    static Path aside(Path live, java.util.UUID jobId) {
        return live.resolve(ASIDE).resolve(jobId.toString());
    }

    private Path aside(UnitEntity jail, JobContext ctx) {
        return aside(host.mountPoint(jail), ctx.jobId());
    }

    /** A chosen path under a web root ("." is the web root itself). */
    private static Path target(Path webRoot, String path) {
        return path.equals(".") ? webRoot : webRoot.resolve(path);
    }

    /** Whether the restored version already took the path's place. */
    private static boolean swapped(Path item) {
        return !Files.exists(item.resolve("new"), NOFOLLOW)
                && (Files.exists(item.resolve("old"), NOFOLLOW) || Files.exists(item.resolve("absent")));
    }

    static void swap(Path item, Path target, Path restored, Path live, long oldBase, long newBase)
            throws IOException {
        if (swapped(item)) {
            return;
        }
        noLinksOnTheWay(live, target.getParent());
        createMissingParents(item, target.getParent(), restored.getParent(), oldBase, newBase);
        Path old = item.resolve("old");
        if (!Files.exists(old, NOFOLLOW)) {
            if (Files.exists(target, NOFOLLOW)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            } else if (!Files.exists(item.resolve("absent"))) {
                Files.createFile(item.resolve("absent"));
            }
        }
        Files.move(item.resolve("new"), target, StandardCopyOption.ATOMIC_MOVE);
    }

    static void putBack(Path item, Path target) throws IOException {
        if (swapped(item)) {
            remove(target);
        }
        if (Files.exists(item.resolve("old"), NOFOLLOW)) {
            Files.move(item.resolve("old"), target, StandardCopyOption.ATOMIC_MOVE);
        }
        Path created = item.resolve("created");
        if (Files.exists(created)) {
            List<String> made = Files.readAllLines(created, StandardCharsets.UTF_8);
            java.util.Collections.reverse(made);
            for (String dir : made) {
                try {
                    Files.deleteIfExists(Path.of(dir));
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // The customer put something there meanwhile: theirs to keep.
                }
            }
        }
    }

    /** Folders the backup had and the jail no longer has, made as backed up; listed for the undo. */
    private static void createMissingParents(Path item, Path parent, Path restoredParent, long oldBase, long newBase)
            throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path dir = parent; !Files.exists(dir, NOFOLLOW); dir = dir.getParent()) {
            missing.add(0, dir);
        }
        List<String> made = new ArrayList<>();
        for (Path dir : missing) {
            Path from = restoredParent;
            for (int up = parent.getNameCount() - dir.getNameCount(); up > 0; up--) {
                from = from.getParent();
            }
            if (!Files.isDirectory(from, NOFOLLOW)) {
                throw new IllegalStateException("the backup has no folder " + from.getFileName() + " to restore into");
            }
            made.add(dir.toString());
            Files.writeString(item.resolve("created"), String.join("\n", made), StandardCharsets.UTF_8);
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, Files.getPosixFilePermissions(from, NOFOLLOW));
            RestoreSite.shiftOwners(from, dir, oldBase, newBase);
        }
    }

    /**
     * The customer owns the site and may have made a folder on the way a link (to "/etc", say): the
     * node, not the jail, would resolve it. Every folder from the jail's root down must be a folder.
     */
    private static void noLinksOnTheWay(Path live, Path dir) {
        Path at = live;
        for (Path name : live.relativize(dir)) {
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) {
                throw new IllegalStateException("/" + live.relativize(at) + " is a symbolic link in the jail; files are"
                        + " not restored through links");
            }
        }
    }

    /** Deletes a file, link or folder tree without following links. */
    static void remove(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW)) {
            return;
        }
        if (Files.isSymbolicLink(path) || !Files.isDirectory(path, NOFOLLOW)) {
            Files.delete(path);
            return;
        }
        JailSnapshots.deleteTree(path);
    }
}
