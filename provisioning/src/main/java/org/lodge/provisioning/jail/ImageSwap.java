package org.lodge.provisioning.jail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replacing a stopped jail's image by a new one built beside it, atomically, with the way back:
 * the new image is made as {@code .restoring}; swapping renames the current one to
 * {@code .pre-restore} and the new one into its place (two renames in one directory). Until the
 * jail has passed its proofs the previous image stays aside, so putting it back undoes the whole
 * replacement. Used by the in-place restore and the reinstall; the names stay those of the
 * restore, which came first, so a job revived across an upgrade finds its files.
 */
public final class ImageSwap {

    private ImageSwap() {
    }

    public static Path previous(Path image) {
        return image.resolveSibling(image.getFileName() + ".pre-restore");
    }

    public static Path fresh(Path image) {
        return image.resolveSibling(image.getFileName() + ".restoring");
    }

    /** Whether the swap has happened (a revived job must not build or swap again). */
    public static boolean swapped(Path image) {
        return Files.exists(previous(image)) && !Files.exists(fresh(image));
    }

    /** An empty sparse file of {@code bytes} beside the image, with its owner and mode; any earlier one is dropped. */
    public static Path prepareFresh(Path image, long bytes) throws IOException {
        Path fresh = fresh(image);
        Files.deleteIfExists(fresh);
        Files.createFile(fresh);
        PosixFileAttributes a = Files.readAttributes(image, PosixFileAttributes.class);
        PosixFileAttributeView view = Files.getFileAttributeView(fresh, PosixFileAttributeView.class);
        view.setPermissions(a.permissions());
        view.setOwner(a.owner());
        view.setGroup(a.group());
        try (RandomAccessFile file = new RandomAccessFile(fresh.toFile(), "rw")) {
            file.setLength(bytes);
        }
        return fresh;
    }

    /** The new image in place, the current one kept aside. */
    public static void swapIn(Path image) throws IOException {
        Files.move(image, previous(image), StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh(image), image, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Undoes {@link #swapIn} (and drops an unfinished new image); true when the previous image came back. */
    public static boolean putBack(Path image) throws IOException {
        boolean back = false;
        if (Files.exists(previous(image))) {
            Files.move(previous(image), image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            back = true;
        }
        Files.deleteIfExists(fresh(image));
        return back;
    }

    /** Deletes the image kept aside, once the new one has passed its proofs. */
    public static boolean dropPrevious(Path image) throws IOException {
        return Files.deleteIfExists(previous(image));
    }
}
