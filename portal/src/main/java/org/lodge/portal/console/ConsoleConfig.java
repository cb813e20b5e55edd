package org.lodge.portal.console;

import java.util.Map;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.ConsoleTickets.Ticket;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.UnitService;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console WebSocket, {@code /console/ws?token=...}. Spring Security lets only a logged-in
 * session reach it; the handshake then spends a one-time PAGE ticket ({@link ConsoleTickets}),
 * which must have been issued to this very user, asks {@link UnitService#console} again with the
 * user's tenant scope; anything else is refused with 403 and audited. {@link ConsoleProxy} then
 * opens the console at the node's gateway, which checks libvirt and the per-user cap. The origin check (no allowed origins: same origin only) refuses
 * handshakes from other sites' pages, before any ticket is touched.
 */
@Configuration
@EnableWebSocket
public class ConsoleConfig implements WebSocketConfigurer {

    public static final String PATH = "/console/ws";

    private final ConsoleTickets tickets;
    private final UnitService units;
    private final GatewayClient gateway;
    private final AuditLog audit;

    public ConsoleConfig(ConsoleTickets tickets, UnitService units, GatewayClient gateway, AuditLog audit) {
        this.tickets = tickets;
        this.units = units;
        this.gateway = gateway;
        this.audit = audit;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        // noVNC and the jail terminal ask for the "binary" subprotocol.
        handshake.setSupportedProtocols("binary");
        registry.addHandler(new ConsoleProxy(gateway, audit), PATH).setHandshakeHandler(handshake)
                // Same origin first (before a ticket is spent), then the ticket.
                .addInterceptors(new OriginHandshakeInterceptor(), new TicketCheck());
    }

    private final class TicketCheck implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                       Map<String, Object> attributes) {
            PortalUser user = request.getPrincipal() instanceof Authentication auth
                    && auth.getPrincipal() instanceof PortalUser portalUser ? portalUser : null;
            String remote = request.getRemoteAddress() == null ? null : request.getRemoteAddress().getAddress().getHostAddress();
            String token = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
            Ticket ticket = user == null ? null : tickets.spend(token, Purpose.PAGE)
                    .filter(t -> t.username().equals(user.getUsername())).orElse(null);
            if (ticket == null) {
                return refuse(response, user, "ticket missing, spent, expired or another user's", remote);
            }
            try {
                // Asked again at connect time: the user may still see the unit, and it still runs.
                attributes.put(ConsoleProxy.ENDPOINT, units.console(ticket.unitId(), user.scope()));
                attributes.put(ConsoleProxy.REMOTE, remote);
                return true;
            } catch (NotFoundException | InvalidRequestException e) {
                return refuse(response, user, "unit " + ticket.unitId() + ": " + e.getMessage(), remote);
            }
        }

        private boolean refuse(ServerHttpResponse response, PortalUser user, String reason, String remote) {
            audit.consoleDenied(user == null ? "anonymous" : user.getUsername(), reason, remote);
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
