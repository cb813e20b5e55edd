package org.lodge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.zip.GZIPOutputStream;

/**
 * What {@code server.compression} would cost and save on a page: Tomcat compresses with a
 * {@link GZIPOutputStream} at its default level, so this does the same to the page's bytes, 200
 * times on this thread, and reads this thread's CPU clock (the wall clock would count other builds).
 */
record GzipCost(int bytes, int gzipBytes, double cpuMillis) {

    private static final int TIMES = 200;

    static GzipCost of(byte[] page) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int gzipped = gzip(page).length;
        for (int i = 0; i < TIMES; i++) { // warm up the JIT first
            gzip(page);
        }
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < TIMES; i++) {
            gzip(page);
        }
        return new GzipCost(page.length, gzipped, (threads.getCurrentThreadCpuTime() - start) / 1e6 / TIMES);
    }

    private static byte[] gzip(byte[] page) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(page.length / 4);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return String.format("%,d bytes, %,d gzipped (%.0f %%), %.2f ms of CPU to gzip", bytes, gzipBytes,
                100.0 * gzipBytes / bytes, cpuMillis);
    }
}
