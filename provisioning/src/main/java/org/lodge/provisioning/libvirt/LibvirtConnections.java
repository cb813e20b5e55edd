package org.lodge.provisioning.libvirt;

import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place that opens libvirt connections: one shared {@link Connect} per URI (libvirt
 * connections are thread-safe), probed for liveness before use and reopened when the daemon
 * went away. Owns the event-loop thread that lifecycle callbacks need.
 */
@Component
public class LibvirtConnections {

    private static final Logger log = LoggerFactory.getLogger(LibvirtConnections.class);

    private final Map<String, Connect> open = new HashMap<>();
    private Thread eventLoop;

    public synchronized Connect get(String uri) {
        startEventLoop();
        Connect connect = open.get(uri);
        if (connect != null && isAlive(connect)) {
            return connect;
        }
        if (connect != null) {
            log.warn("libvirt connection to {} lost, reconnecting", uri);
            closeQuietly(connect);
        }
        try {
            connect = new NativeConnect(uri);
            // libvirt also prints each error to stderr; route them to our log instead.
            Connect.setErrorCallback((userData, error) -> log.debug("libvirt: {}", error));
            open.put(uri, connect);
            return connect;
        } catch (LibvirtException e) {
            open.remove(uri);
            throw new TransientStepException("cannot connect to libvirt at " + uri + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAlive(Connect connect) {
        try {
            return connect.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private void startEventLoop() {
        if (eventLoop != null) {
            return;
        }
        try {
            Library.initEventLoop();
        } catch (LibvirtException e) {
            throw new IllegalStateException("libvirt event loop cannot start", e);
        }
        eventLoop = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException | InterruptedException e) {
                log.info("libvirt event loop ended: {}", e.getMessage());
            }
        }, "libvirt-event-loop");
        eventLoop.setDaemon(true);
        eventLoop.start();
    }

    @PreDestroy
    public synchronized void close() {
        open.values().forEach(LibvirtConnections::closeQuietly);
        open.clear();
        if (eventLoop != null) {
            try {
                Library.stopEventLoop();
            } catch (LibvirtException e) {
                log.debug("stopping libvirt event loop: {}", e.getMessage());
            }
        }
    }

    private static void closeQuietly(Connect connect) {
        try {
            connect.close();
        } catch (LibvirtException e) {
            log.debug("closing libvirt connection: {}", e.getMessage());
        }
    }
}
