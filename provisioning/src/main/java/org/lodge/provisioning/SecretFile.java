package org.lodge.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret generated once and kept in a file of its own, mode 0600 (the embedded PostgreSQL's
 * password, the key that encrypts stored secrets). The file is owned by the owner of its
 * directory: when root creates it in the unprivileged portal user's directory it stays readable
 * by that user, and root reads everything anyway, so exactly the portal's user and root can.
 */
public final class SecretFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /** The secret in {@code file}, made of {@code bytes} random bytes (URL-safe Base64) if the file is new. */
    public static String readOrCreate(Path file, int bytes) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (Files.exists(absolute)) {
            return read(absolute);
        }
        Path dir = Files.createDirectories(absolute.getParent());
        Path draft = Files.createTempFile(dir, "." + absolute.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            byte[] secret = new byte[bytes];
            RANDOM.nextBytes(secret);
            Files.writeString(draft, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
            ownLikeDirectory(draft, dir);
            // A hard link never replaces an existing file: of two processes creating it at once,
            // one wins and the other reads the winner's secret.
            Files.createLink(absolute, draft);
        } catch (FileAlreadyExistsException raced) {
            // Another process wrote it first: use theirs.
        } finally {
            Files.deleteIfExists(draft);
        }
        return read(absolute);
    }

    /** The secret in an existing file (another process created it). */
    public static String read(Path file) throws IOException {
        String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (secret.isEmpty()) {
            throw new IOException("the secret file " + file + " is empty");
        }
        return secret;
    }

    private static void ownLikeDirectory(Path file, Path dir) throws IOException {
        PosixFileAttributes dirAttributes = Files.readAttributes(dir, PosixFileAttributes.class);
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (!view.readAttributes().owner().equals(dirAttributes.owner())) {
            view.setOwner(dirAttributes.owner());
            view.setGroup(dirAttributes.group());
        }
    }
}
