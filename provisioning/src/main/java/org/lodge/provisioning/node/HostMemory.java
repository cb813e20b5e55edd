package org.lodge.provisioning.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's estimate of memory available to new work ({@code MemAvailable} in
 * {@code /proc/meminfo}): free memory plus the page cache and slabs it can drop. libvirt's free
 * memory is {@code MemFree} alone, which a busy node's page cache keeps near zero.
 */
final class HostMemory {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private HostMemory() {
    }

    /** Bytes, or null where the kernel does not say. */
    static Long available() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                String[] fields = line.split("\\s+");
                if (fields[0].equals("MemAvailable:") && fields.length >= 2) {
                    return Long.parseLong(fields[1]) * 1024;
                }
            }
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
