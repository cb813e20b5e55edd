package org.lodge.provisioning.vm;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.lodge.provisioning.NodeProperties;
import org.springframework.stereotype.Component;

/**
 * The VM templates on this node's disk: each is a qcow2 base image in the template pool plus a
 * directory {@code bootDir/<name>/} with its kernel, initrd and {@code template.properties}.
 */
@Component
public class VmTemplates {

    /** {@code version}: what build-vm-template.sh wrote in the directory's {@code .lodge-template}. */
    public record Template(String name, String os, String version, String contentHash, long minDiskBytes,
                           int minMemoryMib, String customisation, String cmdline, Path baseImage, Path kernel,
                           Path initrd) {
    }

    private final NodeProperties.Vm props;

    public VmTemplates(NodeProperties node) {
        this.props = node.vm();
    }

    public List<Template> all() {
        Path boot = Path.of(props.bootDir());
        if (!Files.isDirectory(boot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(boot)) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("template.properties")))
                    .map(this::read).filter(t -> Files.isRegularFile(t.baseImage())).sorted(
                            java.util.Comparator.comparing(Template::name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Template> find(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static String version(Path dir, Properties p) {
        Path marker = dir.resolve(".lodge-template");
        try {
            return Files.isRegularFile(marker) ? Files.readString(marker).strip() : p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Template read(Path dir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("template.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = dir.getFileName().toString();
        return new Template(name, p.getProperty("os", name), version(dir, p), p.getProperty("content-hash"),
                Long.parseLong(p.getProperty("min-disk-bytes", "0")),
                Integer.parseInt(p.getProperty("memory-mib-min", "64")), p.getProperty("customisation", "none"),
                p.getProperty("cmdline", "root=/dev/vda console=ttyS0"),
                Path.of(props.templateDir(), name + ".qcow2"), dir.resolve("vmlinuz"), dir.resolve("initrd.img"));
    }
}
