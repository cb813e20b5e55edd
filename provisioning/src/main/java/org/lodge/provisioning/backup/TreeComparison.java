package org.lodge.provisioning.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A jail's test restore compared with the frozen copy it was read from: every entry there, same
 * type, owner, group and mode, same size, same link target, and the SHA-256 of a sample of the
 * files (all of them up to {@link #ALL_UP_TO}).
 */
final class TreeComparison {

    static final int ALL_UP_TO = 2000;

    private TreeComparison() {
    }

    record Comparison(long entries, long hashed) {
    }

    /** Compares every entry under {@code original} with {@code restored}; throws at the first difference. */
    static Comparison compare(Path original, Path restored) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(original)) {
            entries = walk.filter(p -> !p.equals(original)).toList();
        }
        long files = entries.stream().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        long every = Math.max(1, files / ALL_UP_TO);
        long fileIndex = 0;
        long hashed = 0;
        for (Path source : entries) {
            Path relative = original.relativize(source);
            Path copy = restored.resolve(relative.toString());
            if (!Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("/" + relative + " is missing from the test restore");
            }
            PosixFileAttributes a = Files.readAttributes(source, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributes b = Files.readAttributes(copy, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String describedA = describe(source, a);
            String describedB = describe(copy, b);
            if (!describedA.equals(describedB)) {
                throw new IllegalStateException("/" + relative + " differs in the test restore: " + describedA
                        + " backed up, " + describedB + " restored");
            }
            if (a.isRegularFile() && fileIndex++ % every == 0) {
                if (!sha256(source).equals(sha256(copy))) {
                    throw new IllegalStateException("/" + relative + " has other content in the test restore");
                }
                hashed++;
            }
        }
        return new Comparison(entries.size(), hashed);
    }

    private static String describe(Path path, PosixFileAttributes a) throws IOException {
        String type = a.isDirectory() ? "dir" : a.isSymbolicLink() ? "link->" + Files.readSymbolicLink(path)
                : a.isRegularFile() ? "file " + a.size() + " bytes" : "other";
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        String mode = a.isSymbolicLink() ? "" : " " + PosixFilePermissions.toString(a.permissions());
        return type + " " + uid + ":" + gid + mode;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
