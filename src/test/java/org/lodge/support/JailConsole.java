package org.lodge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A jail's console through the node's console gateway: a root shell inside the jail. */
public final class JailConsole implements AutoCloseable {

    private final Socket socket;
    private final OutputStream in;
    private final StringBuffer seen = new StringBuffer();

    /** Opens the console; {@code request} is the gateway's first line ("unit-id token"). */
    public JailConsole(InetSocketAddress gateway, String request) throws IOException {
        socket = new Socket(gateway.getAddress(), gateway.getPort());
        in = socket.getOutputStream();
        type(request);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream out = socket.getInputStream()) {
                int read;
                while ((read = out.read(buffer)) >= 0) {
                    seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                }
            } catch (IOException closed) {
                // The test closed the console.
            }
        }, "test-console");
        reader.setDaemon(true);
        reader.start();
    }

    public void type(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Everything the console printed until {@code marker} (which the typed line itself does not contain). */
    public String await(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            int at = seen.indexOf(marker);
            if (at >= 0) {
                Thread.sleep(100);
                String all = seen.toString();
                seen.setLength(0);
                return all;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the console never printed " + marker + ": " + seen);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
