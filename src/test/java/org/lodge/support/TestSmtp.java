package org.lodge.support;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SMTP server in the test JVM (GreenMail) on a port of its own per test class, so that
 * mail from another cached context's scheduled jobs never lands in it, and the settings that
 * send Lodge's mail there.
 */
public final class TestSmtp {

    private TestSmtp() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GreenMailExtension on(int port) {
        return new GreenMailExtension(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    /** For the test class's {@code @DynamicPropertySource}. */
    public static void sendTo(DynamicPropertyRegistry registry, int port) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> port);
    }
}
