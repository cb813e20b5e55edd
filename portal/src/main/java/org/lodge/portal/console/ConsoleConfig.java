package org.lodge.portal.console;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.ConsoleEndpoint;
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
 * session reach it; the handshake then spends a one-time ticket ({@link ConsoleTokens}), which
 * must have been issued to this very user, and asks {@link UnitService#console} again with the
 * user's tenant scope. Anything else is refused with 403. The origin check (no allowed origins:
 * same origin only) refuses handshakes from other sites' pages, before any ticket is touched.
 */
@Configuration
@EnableWebSocket
public class ConsoleConfig implements WebSocketConfigurer {

    public static final String PATH = "/console/ws";

    private final ConsoleTokens tokens;
    private final UnitService units;
    private final AuditLog audit;

    public ConsoleConfig(ConsoleTokens tokens, UnitService units, AuditLog audit) {
        this.tokens = tokens;
        this.units = units;
        this.audit = audit;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        // noVNC and the jail terminal ask for the "binary" subprotocol.
        handshake.setSupportedProtocols("binary");
        registry.addHandler(new ConsoleProxy(), PATH).setHandshakeHandler(handshake)
                // Same origin first (before a ticket is spent), then the ticket.
                .addInterceptors(new OriginHandshakeInterceptor(), new TicketCheck());
    }

    private final class TicketCheck implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                       Map<String, Object> attributes) {
            PortalUser user = request.getPrincipal() instanceof Authentication auth
                    && auth.getPrincipal() instanceof PortalUser portalUser ? portalUser : null;
            String token = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
            Optional<ConsoleEndpoint> endpoint = user == null ? Optional.empty()
                    : tokens.redeem(token, user.getUsername()).flatMap(unitId -> endpoint(unitId, user));
            if (endpoint.isEmpty()) {
                audit.consoleDenied(user == null ? "anonymous" : user.getUsername(),
                        request.getRemoteAddress() == null ? null : request.getRemoteAddress().getAddress().getHostAddress());
                response.setStatusCode(HttpStatus.FORBIDDEN);
                return false;
            }
            attributes.put(ConsoleProxy.ENDPOINT, endpoint.get());
            return true;
        }

        /** Asked again at connect time: the user may still see the VM, and it still runs (on this port). */
        private Optional<ConsoleEndpoint> endpoint(UUID unitId, PortalUser user) {
            try {
                return Optional.of(units.console(unitId, user.scope()));
            } catch (NotFoundException | InvalidRequestException e) {
                return Optional.empty();
            }
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
