package org.lodge.portal.console;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.lodge.portal.security.AuditLog;
import org.lodge.provisioning.ConsoleEndpoint;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console WebSocket, {@code /console/ws?token=...}: the handshake spends a one-time ticket
 * issued to the logged-in user (session login, same origin); anything else is refused with 403.
 */
@Configuration
@EnableWebSocket
public class ConsoleConfig implements WebSocketConfigurer {

    public static final String PATH = "/console/ws";

    private final ConsoleTokens tokens;
    private final AuditLog audit;

    public ConsoleConfig(ConsoleTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        // noVNC asks for the "binary" subprotocol.
        handshake.setSupportedProtocols("binary");
        registry.addHandler(new VncProxy(), PATH).setHandshakeHandler(handshake)
                .addInterceptors(new TicketCheck());
    }

    private final class TicketCheck implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                       Map<String, Object> attributes) {
            Principal user = request.getPrincipal();
            String token = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
            Optional<ConsoleEndpoint> endpoint = user == null ? Optional.empty() : tokens.redeem(token, user.getName());
            if (endpoint.isEmpty()) {
                audit.consoleDenied(user == null ? "anonymous" : user.getName(),
                        request.getRemoteAddress() == null ? null : request.getRemoteAddress().getAddress().getHostAddress());
                response.setStatusCode(HttpStatus.FORBIDDEN);
                return false;
            }
            attributes.put(VncProxy.ENDPOINT, endpoint.get());
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
