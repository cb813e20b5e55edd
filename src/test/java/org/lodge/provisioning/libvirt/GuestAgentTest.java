package org.lodge.provisioning.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * A VM whose guest runs no agent (a domain defined before the agent's channel, or a guest without
 * qemu-ga) is never frozen and never makes the backup wait: real QEMU domains with no OS at all
 * (TCG, nothing to boot), one without the channel, one with it but nobody answering on it. The
 * freeze with an agent is proven by VmBackupTest. And a guest whose agent port is open (libvirt
 * sees the agent connected) but never answers: the freeze fails within the agent timeout.
 */
@Tag("libvirt")
class GuestAgentTest {

    private static NativeConnect connect;

    @BeforeAll
    static void open() throws LibvirtException {
        connect = new NativeConnect("qemu:///system");
    }

    @AfterAll
    static void close() throws LibvirtException {
        connect.close();
    }

    @ParameterizedTest
    @CsvSource({"false, not configured", "true, not connected"})
    void withNoAgentAnsweringNothingIsFrozenAndNothingWaits(boolean channel, String reason) throws LibvirtException {
        String name = "lodge-agenttest-" + UUID.randomUUID().toString().substring(0, 8);
        Domain domain = connect.domainCreateXML("""
                <domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
                <os><type arch='x86_64'>hvm</type></os><devices>%s</devices></domain>"""
                .formatted(name, channel ? "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
                        + "</channel>" : ""), 0);
        try {
            long started = System.nanoTime();
            GuestAgent.Freeze freeze = new GuestAgent().freeze(connect, domain, Duration.ofSeconds(10));
            freeze.close();
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(freeze.frozen()).isFalse();
            assertThat(freeze.failure()).contains("agent").contains(reason);
            assertThat(freeze.thawFailure()).isNull();
            assertThat(tookMs).as("no wait for an agent that is not there").isLessThan(2000);
            assertThat(domain.isActive()).isEqualTo(1);
        } finally {
            domain.destroy();
        }
    }

    /** The lodge-test template's kernel and initramfs (busybox and the virtio modules), as setup-host.sh builds them. */
    private static final Path BOOT = Path.of("/var/lib/lodge/vm-boot/lodge-test");

    /**
     * A guest that opens the agent's port and never reads from it: the lodge-test initramfs with
     * another {@code /init} appended (the kernel unpacks concatenated archives, the later file wins).
     */
    private static final String SILENT_AGENT_INIT = """
            #!/bin/busybox sh
            /bin/busybox mkdir -p /proc /sys /dev
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t sysfs sysfs /sys
            /bin/busybox mount -t devtmpfs devtmpfs /dev
            export PATH=/bin
            while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null; done < /lib/modules/modules.order
            n=0
            while [ "$n" -lt 300 ]; do
              for p in /sys/class/virtio-ports/*; do
                read -r name < "$p/name" 2>/dev/null && [ "$name" = org.qemu.guest_agent.0 ] \\
                  && exec 3<>"/dev/${p##*/}" && exec sleep 3600
              done
              usleep 100000
              n=$((n + 1))
            done
            exec sleep 3600
            """;

    @Test
    void anAgentThatIsConnectedButNeverAnswersCostsAtMostItsTimeout(@TempDir Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // QEMU reads it
        Path initrd = dir.resolve("silent-agent-initrd.img");
        Files.copy(BOOT.resolve("initrd.img"), initrd);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(initrd, StandardOpenOption.APPEND));
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW)) {
            byte[] init = SILENT_AGENT_INIT.getBytes(StandardCharsets.UTF_8);
            CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, "init", init.length);
            entry.setMode(CpioConstants.C_ISREG | 0755);
            entry.setNumberOfLinks(1);
            cpio.putArchiveEntry(entry);
            new ByteArrayInputStream(init).transferTo(cpio);
            cpio.closeArchiveEntry();
        }
        String name = "lodge-agenttest-" + UUID.randomUUID().toString().substring(0, 8);
        Domain domain = connect.domainCreateXML("""
                <domain type='qemu'><name>%s</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
                <os><type arch='x86_64'>hvm</type><kernel>%s</kernel><initrd>%s</initrd>
                <cmdline>console=ttyS0 quiet</cmdline></os><features><acpi/></features><devices>
                <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
                <serial type='pty'/></devices></domain>""".formatted(name, BOOT.resolve("vmlinuz"), initrd), 0);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!domain.getXMLDesc(0).contains("state='connected'") && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(domain.getXMLDesc(0)).as("the guest opened the agent's port").contains("state='connected'");

            long started = System.nanoTime();
            GuestAgent.Freeze freeze = new GuestAgent().freeze(connect, domain, Duration.ofSeconds(2));
            freeze.close();
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(freeze.frozen()).isFalse();
            assertThat(freeze.failure()).as(freeze.failure()).contains("agent").doesNotContain("not connected")
                    .doesNotContain("not configured");
            assertThat(freeze.thawFailure()).isNull();
            assertThat(tookMs).as("waited for the silent agent, bounded by the 2 s timeout (freeze, then thaw)")
                    .isBetween(1500L, 9000L);
            assertThat(domain.isActive()).isEqualTo(1);
        } finally {
            domain.destroy();
        }
    }
}
