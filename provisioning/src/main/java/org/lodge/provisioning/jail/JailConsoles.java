package org.lodge.provisioning.jail;

import org.libvirt.LibvirtException;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.XmlQuery;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.annotation.PreDestroy;
import org.libvirt.Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A running jail's text console on the node's loopback: libvirt gives an LXC console only as a
 * host pty, and only the worker may touch it, so the worker relays that pty to a loopback TCP
 * port, which the portal's console proxy reaches like a VM's VNC server. One client at a time: a
 * new connection replaces the previous one (two readers would steal each other's output).
 */
@Component
public class JailConsoles {

    private static final Logger log = LoggerFactory.getLogger(JailConsoles.class);

    private final Map<UUID, ServerSocket> listeners = new ConcurrentHashMap<>();
    private final Map<UUID, Socket> clients = new ConcurrentHashMap<>();

    /** The loopback port of the jail's console, opening the listener if needed. */
    public int open(UUID jailId, String libvirtName, Domain domain) {
        ServerSocket listener = listeners.computeIfAbsent(jailId, id -> listen(id, libvirtName, domain));
        return listener.getLocalPort();
    }

    public void close(UUID jailId) {
        closeQuietly(clients.remove(jailId));
        ServerSocket listener = listeners.remove(jailId);
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                log.debug("closing console listener: {}", e.getMessage());
            }
        }
    }

    @PreDestroy
    void closeAll() {
        listeners.keySet().forEach(this::close);
    }

    private ServerSocket listen(UUID jailId, String libvirtName, Domain domain) {
        try {
            ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> accept(jailId, libvirtName, domain, listener), "jail-console-" + libvirtName);
            accept.setDaemon(true);
            accept.start();
            return listener;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the console of " + libvirtName + ": " + e.getMessage(), e);
        }
    }

    private void accept(UUID jailId, String libvirtName, Domain domain, ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                closeQuietly(clients.put(jailId, client));
                String pty = ptyOf(domain);
                InputStream fromJail = new FileInputStream(pty);
                OutputStream toJail = new FileOutputStream(pty);
                relay("console-out-" + libvirtName, fromJail, client.getOutputStream(), client);
                relay("console-in-" + libvirtName, client.getInputStream(), toJail, client);
            } catch (IOException | RuntimeException e) {
                if (!listener.isClosed()) {
                    log.warn("console of {}: {}", libvirtName, e.getMessage());
                }
            }
        }
    }

    /** Copies until either side ends, then closes the client (which ends the other direction too). */
    private static void relay(String name, InputStream in, OutputStream out, Socket client) {
        Thread copy = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in; out) {
                int read;
                while (!client.isClosed() && (read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                log.debug("{} ended: {}", name, e.getMessage());
            } finally {
                closeQuietly(client);
            }
        }, name);
        copy.setDaemon(true);
        copy.start();
    }

    /** The host pty libvirt gave the running jail's console. */
    private static String ptyOf(Domain domain) {
        String path;
        try {
            path = XmlQuery.of(domain.getXMLDesc(0)).text("/domain/devices/console/source/@path");
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("domain XML", e);
        }
        if (path.isEmpty()) {
            throw new IllegalStateException("the jail has no console pty (is it running?)");
        }
        return path;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing console client: {}", e.getMessage());
            }
        }
    }
}
