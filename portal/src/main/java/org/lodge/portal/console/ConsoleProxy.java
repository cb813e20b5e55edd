package org.lodge.portal.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.lodge.portal.security.AuditLog;
import org.lodge.provisioning.ConsoleEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * Relays a browser's WebSocket to a unit's console through its node's console gateway (a VM's
 * VNC server, a jail's text console), byte for byte both ways, so the console works through the
 * portal's own port behind NAT, proxies and TLS. When the gateway refuses (the unit stopped, the
 * user's console cap) the WebSocket closes with {@link #REFUSED} and the gateway's reason.
 */
public class ConsoleProxy extends BinaryWebSocketHandler {

    static final String ENDPOINT = "lodge.console.endpoint";
    static final String REMOTE = "lodge.console.remote";
    private static final String SOCKET = "lodge.console.socket";
    /** A private-use close code (4000–4999): the console was refused; the reason says why. */
    static final int REFUSED = 4403;
    private static final Logger log = LoggerFactory.getLogger(ConsoleProxy.class);
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT = 4 << 20;
    /** Close reasons are at most 123 bytes. */
    private static final int MAX_REASON = 120;

    /** Tomcat takes 8 KiB per incoming message by default; a clipboard paste from noVNC can be more. */
    private static final int INCOMING_LIMIT = 1 << 20;

    private final GatewayClient gateway;
    private final AuditLog audit;

    ConsoleProxy(GatewayClient gateway, AuditLog audit) {
        this.gateway = gateway;
        this.audit = audit;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        session.setBinaryMessageSizeLimit(INCOMING_LIMIT);
        ConsoleEndpoint endpoint = (ConsoleEndpoint) session.getAttributes().get(ENDPOINT);
        String user = session.getPrincipal().getName();
        String remote = (String) session.getAttributes().get(REMOTE);
        Socket console;
        try {
            console = gateway.open(endpoint, user);
        } catch (GatewayClient.Refused | IOException e) {
            String reason = e instanceof IOException ? "the node's console gateway cannot be reached" : e.getMessage();
            log.info("console of {} refused to {}: {}", endpoint.domain(), user, e.getMessage());
            audit.consoleDenied(user, "unit " + endpoint.unitId() + ": " + reason, remote);
            session.close(new CloseStatus(REFUSED, reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON)));
            return;
        }
        session.getAttributes().put(SOCKET, console);
        audit.consoleOpened(user, endpoint.unitId(), endpoint.domain(), remote);
        WebSocketSession sender = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT);
        Thread relay = new Thread(() -> pump(console, sender), "console-" + endpoint.domain());
        relay.setDaemon(true);
        relay.start();
    }

    /** Console → browser, until either side closes. */
    private static void pump(Socket console, WebSocketSession session) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = console.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0 && session.isOpen()) {
                session.sendMessage(new BinaryMessage(Arrays.copyOf(buffer, read)));
            }
        } catch (IOException | IllegalStateException e) {
            // The browser left (the session is closed) or the console went away.
            log.debug("console relay ended: {}", e.getMessage());
        } finally {
            try {
                session.close(CloseStatus.NORMAL);
            } catch (IOException e) {
                log.debug("closing console session: {}", e.getMessage());
            }
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
        Socket console = (Socket) session.getAttributes().get(SOCKET);
        if (console == null) {
            return;
        }
        ByteBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        console.getOutputStream().write(bytes);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws IOException {
        Socket console = (Socket) session.getAttributes().get(SOCKET);
        if (console != null) {
            console.close();
        }
    }
}
