package org.lodge.provisioning.console;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A unit's console opened by the worker: a VM's VNC UNIX socket, or a jail's console pty (read
 * and written through two channels, since a file channel serialises its reads and writes).
 * Closing it unblocks a relay thread waiting on it.
 */
record ConsoleTarget(ReadableByteChannel in, WritableByteChannel out) implements Closeable {

    @Override
    public void close() throws IOException {
        try (in; out) {
            // both closed, whatever either throws
        }
    }
}
