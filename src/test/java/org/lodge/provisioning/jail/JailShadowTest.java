package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker edits a jail's /etc/shadow as root on the host, in a directory the jail's root
 * owns: links the jail put there must never lead the worker to read or overwrite a host file.
 */
class JailShadowTest {

    private static final String SHADOW = "root:!:19000:0:99999:7:::\nweb1:$6$old$hash:19000:0:99999:7:::\n";

    @TempDir
    Path dir;

    private Path jailWithShadow() throws IOException {
        Path root = Files.createDirectories(dir.resolve("jail"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/shadow"), SHADOW);
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-------"));
        return root;
    }

    @Test
    void replacesOnlyTheAccountsHashAndKeepsTheFilesMode() throws IOException {
        Path root = jailWithShadow();
        try (JailShadow shadow = JailShadow.open(root)) {
            String current = shadow.read(JailShadow.CURRENT).orElseThrow();
            assertThat(JailShadow.hashOf(current, "web1")).contains("$6$old$hash");
            shadow.write(JailShadow.PREVIOUS, current, JailShadow.CURRENT);
            shadow.write(JailShadow.CURRENT, JailShadow.withHash(current, "web1", "$6$new$hash"), JailShadow.CURRENT);
        }
        assertThat(Files.readString(root.resolve("etc/shadow")))
                .isEqualTo("root:!:19000:0:99999:7:::\nweb1:$6$new$hash:19000:0:99999:7:::\n");
        assertThat(Files.readString(root.resolve("etc/shadow-"))).isEqualTo(SHADOW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/shadow"))))
                .isEqualTo("rw-------");
        assertThat(Files.exists(root.resolve("etc/.shadow.lodge"))).isFalse();
    }

    @Test
    void refusesToReadThroughALinkTheJailLeftInPlaceOfItsShadow() throws IOException {
        Path root = jailWithShadow();
        Path hostFile = Files.writeString(dir.resolve("host-secret"), "host:secret\n");
        Files.delete(root.resolve("etc/shadow"));
        Files.createSymbolicLink(root.resolve("etc/shadow"), hostFile);
        try (JailShadow shadow = JailShadow.open(root)) {
            assertThatThrownBy(() -> shadow.read(JailShadow.CURRENT)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a regular file");
        }
    }

    @Test
    void writingNeverFollowsALinkToAHostFile() throws IOException {
        Path root = jailWithShadow();
        Path hostFile = Files.writeString(dir.resolve("host-file"), "untouched\n");
        Files.createSymbolicLink(root.resolve("etc/shadow-"), hostFile);
        Files.createSymbolicLink(root.resolve("etc/.shadow.lodge"), hostFile);
        try (JailShadow shadow = JailShadow.open(root)) {
            shadow.write(JailShadow.PREVIOUS, SHADOW, JailShadow.CURRENT);
        }
        assertThat(Files.readString(hostFile)).isEqualTo("untouched\n");
        assertThat(Files.isSymbolicLink(root.resolve("etc/shadow-"))).as("the link itself was replaced").isFalse();
        assertThat(Files.readString(root.resolve("etc/shadow-"))).isEqualTo(SHADOW);
    }

    @Test
    void refusesAnEtcThatIsALink() throws IOException {
        Path root = Files.createDirectories(dir.resolve("jail"));
        Path hostEtc = Files.createDirectories(dir.resolve("host-etc"));
        Files.writeString(hostEtc.resolve("shadow"), "host:secret\n");
        Files.createSymbolicLink(root.resolve("etc"), hostEtc);
        assertThatThrownBy(() -> JailShadow.open(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be opened");
        assertThat(Files.readString(hostEtc.resolve("shadow"))).isEqualTo("host:secret\n");
    }
}
