package org.lodge.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The node's worker as a separate OS process ({@code lodge.roles=worker}, no web port), as
 * {@code provisioning/host/run-split.sh} starts it, connected to the embedded PostgreSQL of the
 * test's portal: so a SIGKILL is a real one. It runs the main classes the test was built from
 * (not the test classes: their components belong to the test's context) with the test profile's
 * settings, its output appended to one log file.
 */
final class WorkerProcess implements AutoCloseable {

    private static final String READY = "registered: network";

    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    WorkerProcess(int dbPort, Path passwordFile, Path log) throws IOException {
        this.log = log;
        // C1 only, as lodge-worker.service runs the worker.
        this.command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", mainClasspath(), "org.lodge.LodgeApplication",
                "--spring.config.additional-location=file:" + Path.of("src/test/resources/application-test.yml").toAbsolutePath(),
                "--lodge.roles=worker", "--server.port=-1",
                "--lodge.embedded-db.mode=connect", "--lodge.embedded-db.port=" + dbPort,
                "--lodge.embedded-db.password-file=" + passwordFile.toAbsolutePath()));
        Files.deleteIfExists(log);
    }

    /** Starts the worker and waits until it has registered its node (it polls for jobs from then on). */
    Duration start(Duration limit) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long offset = Files.exists(log) ? Files.size(log) : 0;
        starts++;
        Files.writeString(log, "\n===== start " + starts + " =====\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = started + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker ended with " + process.exitValue() + " while starting: see " + log);
            }
            if (readySince(offset)) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the worker did not register its node within " + limit + ": see " + log);
    }

    /** SIGKILL: no shutdown hook, no graceful stop of running jobs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the worker survived SIGKILL for 30 s");
        }
    }

    long pid() {
        return process.pid();
    }

    private boolean readySince(long offset) throws IOException {
        try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            file.seek(offset);
            byte[] tail = new byte[(int) (file.length() - offset)];
            file.readFully(tail);
            return new String(tail, java.nio.charset.StandardCharsets.UTF_8).contains(READY);
        }
    }

    /** Stops the worker gently (SIGTERM) at the end of the run, forcibly if it hangs. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The test JVM's classpath without its test classes. Surefire may hand the JVM a manifest-only
     * jar; its Class-Path then lists the real entries.
     */
    private static String mainClasspath() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifest != null) {
                        Arrays.stream(manifest.split(" ")).map(WorkerProcess::fromUrl).forEach(entries::add);
                        continue;
                    }
                }
            }
            entries.add(entry);
        }
        return entries.stream().filter(e -> !e.isBlank() && !e.contains("test-classes") && !e.contains("surefire"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String fromUrl(String url) {
        return url.startsWith("file:") ? Path.of(java.net.URI.create(url)).toString() : url;
    }
}
