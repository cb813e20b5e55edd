package org.lodge;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.springframework.util.FileSystemUtils;

/**
 * PostgreSQL's own programs ({@code initdb}, {@code pg_ctl}) from zonky's binary bundle, unpacked
 * once per bundle. Lodge runs them itself instead of through zonky's {@code EmbeddedPostgres},
 * whose JVM shutdown hook stops the server while the application is still closing (its pools,
 * Quartz and the worker then fail and wait); here the server stops when its owner closes it.
 */
final class PostgresPrograms {

    private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "lodge-postgres");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;

    private PostgresPrograms(Path bin) {
        this.bin = bin;
    }

    /** The unpacked bundle for this machine, unpacking it first if no process did before. */
    static synchronized PostgresPrograms unpacked() throws IOException {
        Path bundle = Files.createTempFile("lodge-postgres", ".txz");
        try {
            String digest = copyWithDigest(bundle);
            Path home = CACHE.resolve(digest.substring(0, 16));
            if (!Files.isExecutable(home.resolve("bin/pg_ctl"))) {
                unpack(bundle, home);
            }
            return new PostgresPrograms(home.resolve("bin"));
        } finally {
            Files.deleteIfExists(bundle);
        }
    }

    void initdb(Path dataDir, Path passwordFile) throws IOException {
        run(List.of(program("initdb"), "-A", "scram-sha-256", "--pwfile", passwordFile.toString(), "-U",
                SecuredPostgres.SUPERUSER, "-E", "UTF-8", "-D", dataDir.toString()));
    }

    /** {@code pg_ctl} with these arguments, waiting for it (its {@code -w} waits for the server). */
    void pgCtl(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(program("pg_ctl"));
        command.addAll(arguments);
        run(command);
    }

    private String program(String name) {
        return bin.resolve(name).toString();
    }

    private static void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        // PostgreSQL refuses to run as root: in a user namespace of its own root is nobody,
        // while the files it writes stay root's (zonky's bundle is made for this).
        if (LinuxUtils.isUnshareAvailable()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.strip());
        }
    }

    private static String copyWithDigest(Path target) throws IOException {
        try (InputStream in = new DigestInputStream(DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux",
                "x86_64"), MessageDigest.getInstance("SHA-256"))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Unpacks into a directory of its own, then renames it into place: another process never sees half. */
    private static void unpack(Path bundle, Path home) throws IOException {
        Files.createDirectories(CACHE);
        Path partial = Files.createTempDirectory(CACHE, "unpacking-");
        // Readable by all (as zonky's copy was); writable by its owner only.
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
                Files.newInputStream(bundle)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = partial.resolve(entry.getName()).normalize();
                if (!target.startsWith(partial)) {
                    throw new IOException("the PostgreSQL bundle has an entry outside its tree: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
                        permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                                PosixFilePermission.OTHERS_EXECUTE));
                        Files.setPosixFilePermissions(target, permissions);
                    }
                }
            }
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException unpackedMeanwhile) {
            // Another process won the race with the same bundle.
        } finally {
            FileSystemUtils.deleteRecursively(partial);
        }
    }
}
