package org.lodge.provisioning.jail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lodge.provisioning.NodeProperties;
import org.springframework.stereotype.Component;

/**
 * The jail templates on this node's disk: directories beside the node's default template
 * ({@code lodge.node.template-dir}), each built by a script in provisioning/host and marked with
 * its version in {@code .lodge-template}, described by {@code NAME.properties} next to it
 * (describe-jail-template.sh: operating system, content hash, what its web server runs).
 */
@Component
public class JailTemplates {

    /** Room an image needs beyond the template's copied files: ext4 metadata, journal, the jail's own files. */
    static final long FILESYSTEM_OVERHEAD = 12L << 20;
    private static final long MIB = 1L << 20;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /**
     * A jail template: {@code copiedBytes} is what every image receives (the shared directories are
     * mounted read-only, not copied); {@code servesPhp}: its web server runs PHP (index.php).
     */
    public record Template(String name, Path dir, String os, String version, String contentHash, boolean servesPhp,
                           long copiedBytes, int minMemoryMib) {

        public long minDiskBytes() {
            return (copiedBytes + FILESYSTEM_OVERHEAD + MIB - 1) / MIB * MIB;
        }
    }

    private final Path root;
    private final String defaultName;
    private final Map<String, Long> copiedBytesByVersion = new ConcurrentHashMap<>();

    public JailTemplates(NodeProperties node) {
        Path configured = Path.of(node.templateDir());
        this.root = configured.getParent();
        this.defaultName = configured.getFileName().toString();
    }

    /** The template a node offers by default until staff choose another (the configured template-dir). */
    public String defaultName() {
        return defaultName;
    }

    public List<Template> all() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(dir -> NAME.matcher(dir.getFileName().toString()).matches())
                    .filter(dir -> Files.isRegularFile(dir.resolve(".lodge-template")))
                    .map(this::read).sorted(Comparator.comparing(Template::name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Template> find(String name) {
        return name != null && NAME.matcher(name).matches() && Files.isRegularFile(root.resolve(name).resolve(".lodge-template"))
                ? Optional.of(read(root.resolve(name))) : Optional.empty();
    }

    /** The template a jail was made from; it must still be on this node (its binaries are mounted from it). */
    public Template of(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("jail template " + name
                + " is missing on this node: run provisioning/host/setup-host.sh"));
    }

    /**
     * The template a jail mounts. A jail from before the catalogue (no version recorded) was made
     * from the node's configured template, whatever its directory is called.
     */
    public Template of(org.lodge.provisioning.unit.UnitEntity jail) {
        Optional<Template> named = find(jail.template());
        return jail.templateVersion() == null ? named.orElseGet(() -> of(defaultName)) : named.orElseGet(() -> of(jail.template()));
    }

    private Template read(Path dir) {
        String name = dir.getFileName().toString();
        Properties p = new Properties();
        Path described = root.resolve(name + ".properties");
        try {
            String version = Files.readString(dir.resolve(".lodge-template")).strip();
            if (Files.isRegularFile(described)) {
                try (Reader in = Files.newBufferedReader(described)) {
                    p.load(in);
                }
            }
            // A description of another version is stale: its hash says nothing of this tree.
            boolean current = version.equals(p.getProperty("version"));
            long copied = copiedBytesByVersion.computeIfAbsent(name + "@" + version, key -> copiedBytes(dir));
            return new Template(name, dir, p.getProperty("os", name), version,
                    current ? p.getProperty("content-hash") : null, "php".equals(p.getProperty("serves")),
                    copied, Integer.parseInt(p.getProperty("min-memory-mib", "16")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regular files outside the shared directories; symlinks (the busybox applets) take no room. */
    private static long copiedBytes(Path template) {
        try (Stream<Path> files = Files.walk(template)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !RootFilesystem.SHARED_DIRS.contains(template.relativize(p).getName(0).toString()))
                    .mapToLong(JailTemplates::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
