package org.lodge.portal.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.lodge.provisioning.ConsoleEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * Relays a browser's WebSocket to a unit's console on the node's loopback (a VM's VNC server, a
 * jail's relayed text console), byte for byte both ways, so the console works through the
 * portal's own port behind NAT, proxies and TLS.
 */
public class ConsoleProxy extends BinaryWebSocketHandler {

    static final String ENDPOINT = "lodge.console.endpoint";
    private static final Logger log = LoggerFactory.getLogger(ConsoleProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT = 4 << 20;

    /** Tomcat takes 8 KiB per incoming message by default; a clipboard paste from noVNC can be more. */
    private static final int INCOMING_LIMIT = 1 << 20;

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        session.setBinaryMessageSizeLimit(INCOMING_LIMIT);
        ConsoleEndpoint endpoint = (ConsoleEndpoint) session.getAttributes().get(ENDPOINT);
        Socket console = new Socket();
        console.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
        session.getAttributes().put("socket", console);
        WebSocketSession sender = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT);
        log.info("console of {} opened by {}", endpoint.domain(), session.getPrincipal().getName());
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
            // The browser left (the session is closed) or the VM's VNC server went away.
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
        ByteBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        ((Socket) session.getAttributes().get("socket")).getOutputStream().write(bytes);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws IOException {
        Socket console = (Socket) session.getAttributes().get("socket");
        if (console != null) {
            console.close();
        }
    }
}
