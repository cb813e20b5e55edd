package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.unit.UnitEntity;

/** How the worker reads the jail templates on its disk (real directories, no Spring). */
class JailTemplatesTest {

    @TempDir
    Path root;

    private JailTemplates templates(String configured) {
        return new JailTemplates(new NodeProperties("n", "lxc:///system", "/s", "/m", "p",
                root.resolve(configured).toString(), 64, new NodeProperties.JailLimits(64, 1024, 100),
                new NodeProperties.Network("net", "10.0.0.0/24", "10.0.0.1", "10.0.0.10", "10.0.0.20"),
                new NodeProperties.Vm("qemu:///system", "/v", "vp", "/t", "tp", "/b", 2, 1024, 128,
                        Duration.ofSeconds(90), Duration.ofSeconds(30), "lodge-test")));
    }

    private void template(String name, String version, int etcBytes) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve(".lodge-template"), version + "\n");
        Files.createDirectories(dir.resolve("usr/sbin"));
        Files.write(dir.resolve("usr/sbin/big"), new byte[5 << 20]);
        Files.createDirectories(dir.resolve("etc"));
        Files.write(dir.resolve("etc/conf"), new byte[etcBytes]);
    }

    private void describe(String name, String version, String serves) throws IOException {
        Files.writeString(root.resolve(name + ".properties"), "name=" + name + "\nos=Debian 12\nversion=" + version
                + "\ncontent-hash=sha256:abc\nserves=" + serves + "\nmin-memory-mib=128\n");
    }

    private static UnitEntity jail(String template, String version) {
        UnitEntity jail = UnitEntity.jail(UUID.randomUUID(), "n", UUID.randomUUID(), DomainName.parse("example.com"),
                "10.0.0.11", 64L << 20, 64, template);
        jail.madeFromVersion(version);
        return jail;
    }

    @Test
    void readsEachTemplateWithItsDescriptionAndWhatAnImageReceives() throws IOException {
        template("busybox", "b-1", 100);
        template("web-php", "w-1", 2 << 20);
        describe("web-php", "w-1", "php");
        Files.createDirectories(root.resolve(".retired/web-php-w-0"));
        Files.createDirectories(root.resolve("not-a-template"));

        JailTemplates templates = templates("busybox");
        assertThat(templates.all()).extracting(JailTemplates.Template::name).containsExactly("busybox", "web-php");
        JailTemplates.Template php = templates.find("web-php").orElseThrow();
        assertThat(php.servesPhp()).isTrue();
        assertThat(php.os()).isEqualTo("Debian 12");
        assertThat(php.contentHash()).isEqualTo("sha256:abc");
        assertThat(php.minMemoryMib()).isEqualTo(128);
        // Shared directories (usr) are mounted, not copied: 2 MiB of etc and the marker + 12 MiB of
        // room, rounded up to whole MiB.
        assertThat(php.minDiskBytes()).isEqualTo(15L << 20);
        JailTemplates.Template busybox = templates.find("busybox").orElseThrow();
        assertThat(busybox.servesPhp()).isFalse();
        assertThat(busybox.contentHash()).as("undescribed").isNull();
        assertThat(busybox.minDiskBytes()).isEqualTo(13L << 20);
    }

    @Test
    void aDescriptionOfAnotherVersionGivesNoHash() throws IOException {
        template("web-php", "w-2", 10);
        describe("web-php", "w-1", "php");
        assertThat(templates("web-php").find("web-php").orElseThrow().contentHash()).isNull();
    }

    @Test
    void aJailFromBeforeTheCatalogueMountsTheConfiguredTemplate() throws IOException {
        template("debian", "d-1", 10);
        template("web-php", "w-1", 10);
        JailTemplates templates = templates("debian");
        assertThat(templates.of(jail("busybox", null)).name()).isEqualTo("debian");
        assertThat(templates.of(jail("web-php", "w-1")).name()).isEqualTo("web-php");
        assertThatThrownBy(() -> templates.of(jail("busybox", "b-1"))).hasMessageContaining("jail template busybox is missing");
        assertThat(templates.find("../debian")).isEmpty();
    }
}
