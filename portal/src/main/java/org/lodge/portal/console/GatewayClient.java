package org.lodge.portal.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.lodge.provisioning.ConsoleEndpoint;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.springframework.stereotype.Component;

/**
 * Opens a unit's console at its node's console gateway: a fresh GATEWAY token (which never
 * leaves this process; the browser's ticket opens nothing there), one request line, and the
 * gateway's answer, {@code OK} or {@code NO <reason>}.
 */
@Component
public class GatewayClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The gateway checks the token and libvirt before it answers. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_ANSWER = 500;

    /** The gateway said no; the reason is the gateway's, in words a user may read. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    private final ConsoleTickets tickets;

    public GatewayClient(ConsoleTickets tickets) {
        this.tickets = tickets;
    }

    /** A socket relayed to the unit's console, for {@code username}, or why not. */
    public Socket open(ConsoleEndpoint endpoint, String username) throws Refused, IOException {
        String token = tickets.issue(username, endpoint.unitId(), Purpose.GATEWAY);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            socket.getOutputStream().write((endpoint.unitId() + " " + token + "\n").getBytes(StandardCharsets.US_ASCII));
            String answer = answer(socket.getInputStream());
            if (!answer.equals("OK")) {
                throw new Refused(answer.startsWith("NO ") ? answer.substring(3) : "the console gateway did not answer");
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (Refused | IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String answer(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < MAX_ANSWER) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
