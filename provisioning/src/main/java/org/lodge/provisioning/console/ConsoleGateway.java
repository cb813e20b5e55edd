package org.lodge.provisioning.console;

import jakarta.annotation.PreDestroy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.ConsoleProperties;
import org.lodge.provisioning.ConsoleSessions;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.ConsoleTickets.Ticket;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The node's console gateway: the one listener through which a portal reaches a unit's console.
 * A connection first sends one line, {@code <unit id> <token>}; the token must be an unspent
 * GATEWAY ticket of that unit (see {@link ConsoleTickets}), the unit must be on this node and
 * running now (see {@link ConsoleTargets}), and its user under the console cap. The gateway then
 * answers {@code OK} and relays bytes both ways, or answers {@code NO <reason>} and hangs up: a
 * connection without a valid token reaches nothing.
 */
@Component
@WorkerRole
public class ConsoleGateway {

    private static final Logger log = LoggerFactory.getLogger(ConsoleGateway.class);
    /** The request line: a UUID, a space and a 43-character token; anything longer is refused. */
    private static final int MAX_REQUEST = 128;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int BUFFER = 64 * 1024;

    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;
    private final ConsoleTargets targets;
    private final UnitRepository units;
    private final String node;
    private final ServerSocket listener;

    public ConsoleGateway(ConsoleTickets tickets, ConsoleSessions sessions, ConsoleTargets targets,
                          UnitRepository units, NodeProperties node, ConsoleProperties props) {
        this.tickets = tickets;
        this.sessions = sessions;
        this.targets = targets;
        this.units = units;
        this.node = node.name();
        try {
            listener = new ServerSocket(props.gatewayPort(), 50, InetAddress.getByName(props.gatewayAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the console gateway on " + props.gatewayAddress() + ":"
                    + props.gatewayPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Answers connections once the application is ready (the schema migrated): the port is bound
     * at construction, so the node registration can record it, and early callers wait in the backlog.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void open() {
        sessions.forgetNode(node);
        daemon("console-gateway", this::acceptLoop).start();
        log.info("console gateway listening on {}", listener.getLocalSocketAddress());
    }

    /** Where portals reach this gateway (recorded in the node's row). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @PreDestroy
    void stop() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                daemon("console-" + client.getPort(), () -> serve(client)).start();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log.warn("console gateway: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        UUID session = null;
        try (client) {
            client.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream reply = client.getOutputStream();
            Optional<String> line = readLine(client.getInputStream());
            String[] request = line.orElse("").split(" ", -1);
            try {
                Ticket ticket = request.length == 2 ? spend(request[0], request[1]) : refuse("malformed request");
                UnitEntity unit = units.findById(ticket.unitId()).filter(u -> u.nodeName().equals(node))
                        .orElseThrow(() -> new ConsoleRefused("the unit is not on this node"));
                session = sessions.open(node, ticket.username(), unit.id())
                        .orElseThrow(() -> new ConsoleRefused(sessions.refusal()));
                ConsoleTarget opened;
                try {
                    opened = targets.open(unit);
                } catch (RuntimeException e) {
                    log.warn("console of {}: {}", unit.domain(), e.getMessage());
                    throw new ConsoleRefused("the console of " + unit.domain() + " is not available right now");
                }
                try (ConsoleTarget target = opened) {
                    reply.write("OK\n".getBytes(StandardCharsets.US_ASCII));
                    reply.flush();
                    client.setSoTimeout(0);
                    log.info("console of {} opened for {}", unit.domain(), ticket.username());
                    relay(client, target, unit);
                }
            } catch (ConsoleRefused refused) {
                log.info("console refused from {}: {}", client.getRemoteSocketAddress(), refused.getMessage());
                reply.write(("NO " + refused.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("console connection ended: {}", e.getMessage());
        } finally {
            if (session != null) {
                sessions.close(session);
            }
        }
    }

    private Ticket spend(String unitId, String token) throws ConsoleRefused {
        Ticket ticket = tickets.spend(token, Purpose.GATEWAY)
                .orElseThrow(() -> new ConsoleRefused("invalid, spent or expired token"));
        if (!ticket.unitId().toString().equals(unitId)) {
            throw new ConsoleRefused("the token is for another unit");
        }
        return ticket;
    }

    private static Ticket refuse(String reason) throws ConsoleRefused {
        throw new ConsoleRefused(reason);
    }

    /**
     * Console to client in a second thread, client to console here, until either side ends. The
     * console's channel is used directly: stream adapters of a socket channel share one lock for
     * reads and writes, and a blocked read would hold back every keystroke.
     */
    private void relay(Socket client, ConsoleTarget target, UnitEntity unit) throws IOException {
        daemon("console-out-" + unit.libvirtName(), () -> {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            try {
                OutputStream toClient = client.getOutputStream();
                while (target.in().read(buffer.clear()) >= 0) {
                    toClient.write(buffer.array(), 0, buffer.position());
                    toClient.flush();
                }
            } catch (IOException e) {
                log.debug("console of {} ended: {}", unit.domain(), e.getMessage());
            } finally {
                closeQuietly(client);
            }
        }).start();
        try {
            InputStream fromClient = client.getInputStream();
            byte[] bytes = new byte[BUFFER];
            int read;
            while ((read = fromClient.read(bytes)) >= 0) {
                ByteBuffer chunk = ByteBuffer.wrap(bytes, 0, read);
                while (chunk.hasRemaining()) {
                    target.out().write(chunk);
                }
            }
        } finally {
            targets.closed(unit.id(), target);
        }
    }

    /** One line of at most {@link #MAX_REQUEST} bytes, without its newline. */
    private static Optional<String> readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == MAX_REQUEST) {
                return Optional.empty();
            }
            line.write(b);
        }
        return b == '\n' ? Optional.of(line.toString(StandardCharsets.US_ASCII)) : Optional.empty();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing console client: {}", e.getMessage());
        }
    }
}
