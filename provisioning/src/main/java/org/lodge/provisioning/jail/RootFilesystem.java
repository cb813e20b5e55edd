package org.lodge.provisioning.jail;

import org.lodge.provisioning.unit.UnitEntity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.lodge.provisioning.unit.WelcomePage;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.tls.UnitCertificates;

/**
 * Lays out a jail's root in a staging directory: a copy of the node's template plus the jail's
 * own files. The image is then made from it with {@code mkfs.ext4 -d}, never mounted on the host.
 */
public final class RootFilesystem {

    /** uid/gid of the FTP account inside the jail; the document root belongs to it. */
    public static final int FTP_UID = 1000;

    /**
     * Template directories every jail mounts read-only from the node instead of copying: their
     * pages are shared by all jails through the host's page cache, and an update of the template
     * reaches every jail. A jail's root cannot remount them (it is unprivileged on the host).
     */
    public static final List<String> SHARED_DIRS = List.of("bin", "sbin", "lib", "lib64", "usr");

    private RootFilesystem() {
    }

    /** The jail's own FTPS key and certificate, relative to its root: owned by the jail's root only. */
    public static final String FTPS_PEM = UnitCertificates.PURE_FTPD_PEM.substring(1);

    /**
     * Stages the root of {@code jail}; only the SHA-512 crypt hash of the password enters it. The
     * key and certificate are asked for last, so they can be made meanwhile.
     */
    public static void stage(JailTemplates.Template template, Path staging, UnitEntity jail, String ftpPassword,
                             Supplier<String> ftpsPem) throws IOException {
        stage(template.dir(), staging, jail.domain(), jail.ftpUser(),
                Sha2Crypt.sha512Crypt(ftpPassword.getBytes(StandardCharsets.UTF_8)), ftpsPem, jail.uidBase(),
                template.servesPhp());
    }

    /** As below, for a template that serves static files (index.html). */
    public static void stage(Path template, Path staging, String domain, String ftpUser, String passwordHash,
                             String ftpsPem, long uidBase) throws IOException {
        stage(template, staging, domain, ftpUser, passwordHash, () -> ftpsPem, uidBase, false);
    }

    /** The welcome page a new jail serves: index.php where the template runs PHP, else index.html. */
    public static String indexFile(boolean php) {
        return php ? "index.php" : "index.html";
    }

    /**
     * Stages a jail's root with every owner shifted by {@code uidBase}: the jail runs in a user
     * namespace where uid 0 is {@code uidBase} on the host (libvirt {@code <idmap>}).
     */
    public static void stage(Path template, Path staging, String domain, String ftpUser, String passwordHash,
                             Supplier<String> ftpsPem, long uidBase, boolean php) throws IOException {
        copyTree(template, staging);
        String docroot = docroot(domain);
        write(staging, "etc/hostname", domain + "\n", "rw-r--r--");
        write(staging, "etc/lodge/docroot", docroot + "\n", "rw-r--r--");
        // The FTP account has no shell: it exists only for FTP, chrooted to the web root.
        write(staging, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                + ftpUser + ":x:" + FTP_UID + ":" + FTP_UID + ":FTP account of " + domain + ":"
                + docroot + ":/sbin/nologin\n"
                + "nobody:x:65534:65534:web server:/nonexistent:/sbin/nologin\n", "rw-r--r--");
        write(staging, "etc/group", "root:x:0:\n" + ftpUser + ":x:" + FTP_UID + ":\nnogroup:x:65534:\n",
                "rw-r--r--");
        write(staging, "etc/shells", "/bin/sh\n/sbin/nologin\n", "rw-r--r--");
        write(staging, "etc/shadow", "root:!:19000:0:99999:7:::\n" + ftpUser + ":" + passwordHash
                + ":19000:0:99999:7:::\nnobody:!:19000:0:99999:7:::\n", "rw-------");
        Path site = staging.resolve(docroot.substring(1));
        Files.createDirectories(site);
        write(staging, docroot.substring(1) + "/" + indexFile(php), php ? WelcomePage.php(domain)
                : WelcomePage.html(domain), "rw-r--r--");
        for (Path path : new Path[] {site, site.resolve(indexFile(php))}) {
            Files.setAttribute(path, "unix:uid", FTP_UID, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", FTP_UID, LinkOption.NOFOLLOW_LINKS);
        }
        write(staging, FTPS_PEM, ftpsPem.get(), "rw-------");
        Files.setPosixFilePermissions(staging.resolve(FTPS_PEM).getParent(), PosixFilePermissions.fromString("rwx------"));
        shiftOwners(staging, uidBase);
    }

    private static void shiftOwners(Path root, long uidBase) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:uid", (int) (uid + uidBase), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", (int) (gid + uidBase), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * mkfs.ext4's arguments for a jail's root image, owned by the jail's uid range at the top; with
     * {@code from}, filled from that staged tree. No blocks reserved for the host's root: a jail
     * could never write them.
     */
    public static List<String> mkfsArguments(UnitEntity jail, Path from, String image) {
        List<String> args = new java.util.ArrayList<>(List.of("-q", "-F", "-m", "0", "-L", "lodge-root",
                "-E", "root_owner=" + jail.uidBase() + ":" + jail.uidBase()));
        if (from != null) {
            args.addAll(List.of("-d", from.toString()));
        }
        args.add(image);
        return args;
    }

    public static String docroot(UnitEntity jail) {
        return docroot(jail.domain());
    }

    /** The web root of a jail serving {@code domain}, from the jail's root. */
    public static String docroot(String domain) {
        return "/var/www/" + domain;
    }


    private static void write(Path root, String relative, String content, String permissions) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                Path target = to.resolve(relative.toString());
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
                // Shared directories stay empty in the image: they are mount points.
                return relative.getNameCount() == 1 && SHARED_DIRS.contains(relative.toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
