package org.lodge.provisioning.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
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
 * freeze with an agent is proven by VmBackupTest.
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
}
