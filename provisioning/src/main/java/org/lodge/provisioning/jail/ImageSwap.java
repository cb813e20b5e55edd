package org.lodge.provisioning.jail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Optional;
import java.util.UUID;

/**
 * One job's replacement of a stopped unit's image by a new one built beside it, atomically, with
 * the way back: the new image is made as {@code .restoring}; swapping renames the current one to
 * {@code .pre-restore} and the new one into its place (two renames in one directory). Until the
 * unit has passed its proofs the previous image stays aside, so putting it back undoes the whole
 * replacement. Used by the in-place restore and the reinstalls; the names stay those of the
 * restore, which came first, so a job revived across an upgrade finds its files.
 *
 * <p>Before the renames the current image gets the job's id as an extended attribute, which
 * travels with it to {@code .pre-restore}: a file found there is this job's swap only when it
 * says so. A {@code .pre-restore} left by another job (one whose compensation never ran to its
 * end) is neither taken for this job's swap nor put back nor replaced by it.
 */
public record ImageSwap(Path image, UUID job) {

    /** The extended attribute naming the job that put an image aside ({@code user.} namespace: no privilege needed). */
    static final String PUT_ASIDE_BY = "lodge.put-aside-by";

    /** Where a file is kept aside (the image, or a VM's seed beside its disk). */
    public static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + ".pre-restore");
    }

    public Path previous() {
        return previous(image);
    }

    public Path fresh() {
        return image.resolveSibling(image.getFileName() + ".restoring");
    }

    /**
     * Whether this job has swapped already (a revived job must not build or swap again). A swap
     * interrupted between its two renames is finished here: its new image was complete.
     *
     * @throws IllegalStateException when the image kept aside is another job's: which image the unit
     *         should have is then for staff to decide, not for this job to guess
     */
    public boolean swapped() throws IOException {
        if (!Files.exists(previous())) {
            return false;
        }
        Optional<UUID> owner = putAsideBy(previous());
        if (!owner.equals(Optional.of(job))) {
            throw new IllegalStateException(previous() + " was put aside by "
                    + owner.map(id -> "job " + id).orElse("an earlier job") + ", not by this one: check which image the"
                    + " unit should have, keep it at " + image.getFileName() + " and move the other one away");
        }
        if (Files.exists(fresh()) && !Files.exists(image)) {
            Files.move(fresh(), image, StandardCopyOption.ATOMIC_MOVE);
        }
        return !Files.exists(fresh());
    }

    /** An empty sparse file of {@code bytes} beside the image, with its owner and mode; any earlier one is dropped. */
    public Path prepareFresh(long bytes) throws IOException {
        Path fresh = fresh();
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

    /** The new image in place, the current one kept aside, marked as this job's. */
    public void swapIn() throws IOException {
        setAside();
        Files.move(fresh(), image, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The current file kept aside, marked as this job's, with nothing in its place yet: for a file a
     * later step makes anew (a VM's seed). {@link #putBack} and {@link #dropPrevious} treat it as a swap.
     */
    public void setAside() throws IOException {
        if (Files.exists(previous())) {
            throw new IllegalStateException(previous() + " exists already: an image kept aside is never replaced");
        }
        attributes(image).write(PUT_ASIDE_BY, StandardCharsets.UTF_8.encode(job.toString()));
        Files.move(image, previous(), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether an image is kept aside by this job's swap (another job's does not count). */
    public boolean keepsPrevious() throws IOException {
        return Files.exists(previous()) && putAsideBy(previous()).equals(Optional.of(job));
    }

    /**
     * Undoes {@link #swapIn} (and drops an unfinished new image); true when the previous image came
     * back. Another job's image kept aside stays where it is.
     */
    public boolean putBack() throws IOException {
        boolean back = false;
        if (keepsPrevious()) {
            Files.move(previous(), image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            attributes(image).delete(PUT_ASIDE_BY);
            back = true;
        }
        Files.deleteIfExists(fresh());
        return back;
    }

    /** Deletes the image this job kept aside, once the new one has passed its proofs. */
    public boolean dropPrevious() throws IOException {
        return keepsPrevious() && Files.deleteIfExists(previous());
    }

    private static Optional<UUID> putAsideBy(Path file) throws IOException {
        UserDefinedFileAttributeView view = attributes(file);
        if (!view.list().contains(PUT_ASIDE_BY)) {
            return Optional.empty();
        }
        ByteBuffer value = ByteBuffer.allocate(view.size(PUT_ASIDE_BY));
        view.read(PUT_ASIDE_BY, value);
        try {
            return Optional.of(UUID.fromString(StandardCharsets.UTF_8.decode(value.flip()).toString()));
        } catch (IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    private static UserDefinedFileAttributeView attributes(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            throw new IOException(file.getParent() + " has no extended attributes, which the image swap needs");
        }
        return view;
    }
}
