package org.lodge.provisioning.jail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * The jail's {@code /etc/shadow} as the worker (root on the host) edits it through the jail's
 * mounted image. The jail's root owns that directory and could put a symbolic link where a file
 * was, so every access goes through a directory handle opened without following links
 * ({@link SecureDirectoryStream}: openat/renameat with O_NOFOLLOW), and only regular files are read.
 * Writes are a new file beside the old one, renamed over it: pure-ftpd reads the file at each login
 * and sees either the old or the new content, never half of one.
 */
public final class JailShadow implements AutoCloseable {

    /** Where the hash being replaced waits until the new password is proven (as the shadow tools keep {@code shadow-}). */
    public static final String PREVIOUS = "shadow-";
    public static final String CURRENT = "shadow";
    private static final String STAGING = ".shadow.lodge";
    private static final int MAX_BYTES = 1 << 20;

    private final DirectoryStream<Path> root;
    private final SecureDirectoryStream<Path> etc;

    private JailShadow(DirectoryStream<Path> root, SecureDirectoryStream<Path> etc) {
        this.root = root;
        this.etc = etc;
    }

    /** Opens {@code <mounted root>/etc}, refusing a link in its place. */
    public static JailShadow open(Path mountedRoot) throws IOException {
        DirectoryStream<Path> root = Files.newDirectoryStream(mountedRoot);
        if (!(root instanceof SecureDirectoryStream<Path> secure)) {
            root.close();
            throw new IOException("this platform cannot open directories without following links");
        }
        try {
            return new JailShadow(root, (SecureDirectoryStream<Path>) secure.newDirectoryStream(Path.of("etc"),
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            root.close();
            throw new IOException("the jail's /etc cannot be opened (" + e.getMessage() + ")", e);
        }
    }

    public Optional<String> read(String name) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = view(name).readAttributes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile() || attributes.size() > MAX_BYTES) {
            throw new IOException("the jail's /etc/" + name + " is not a regular file of a sane size");
        }
        try (SeekableByteChannel channel = etc.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)); InputStream in = Channels.newInputStream(channel)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_BYTES) {
                    throw new IOException("the jail's /etc/" + name + " is too large");
                }
                out.write(buffer, 0, n);
            }
            return Optional.of(out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Writes {@code content} as {@code name}, with the owner, group and mode of {@code likeName}
     * (the jail's root, 0600 or what the jail chose), atomically.
     */
    public void write(String name, String content, String likeName) throws IOException {
        PosixFileAttributes like = view(likeName).readAttributes();
        try {
            etc.deleteFile(Path.of(STAGING));
        } catch (NoSuchFileException e) {
            // Nothing left by an earlier attempt.
        }
        try (SeekableByteChannel channel = etc.newByteChannel(Path.of(STAGING), Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the jail's /etc changed under us", e);
        }
        PosixFileAttributeView staged = view(STAGING);
        staged.setOwner(like.owner());
        staged.setGroup(like.group());
        staged.setPermissions(like.permissions());
        etc.move(Path.of(STAGING), etc, Path.of(name));
    }

    public void delete(String name) throws IOException {
        try {
            etc.deleteFile(Path.of(name));
        } catch (NoSuchFileException e) {
            // Already gone: deleting is idempotent.
        }
    }

    private PosixFileAttributeView view(String name) {
        return etc.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The hash field of {@code user}'s line, if the user is there. */
    public static Optional<String> hashOf(String shadow, String user) {
        return shadow.lines().filter(line -> line.startsWith(user + ":")).findFirst()
                .map(line -> line.split(":", -1)[1]);
    }

    /** {@code shadow} with {@code user}'s hash replaced, every other line and field kept. */
    public static String withHash(String shadow, String user, String hash) {
        StringBuilder out = new StringBuilder();
        boolean found = false;
        for (String line : shadow.lines().toList()) {
            if (line.startsWith(user + ":")) {
                String[] fields = line.split(":", -1);
                fields[1] = hash;
                line = String.join(":", fields);
                found = true;
            }
            out.append(line).append('\n');
        }
        if (!found) {
            throw new IllegalStateException("the jail's /etc/shadow has no line for " + user);
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            etc.close();
        } finally {
            root.close();
        }
    }
}
