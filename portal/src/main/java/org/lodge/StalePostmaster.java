package org.lodge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code kill -9} of Lodge leaves in the embedded PostgreSQL's data directory: a
 * {@code postmaster.pid} naming either a postmaster that outlived its JVM (orphaned, still
 * serving) or a process that is gone. PostgreSQL refuses to start over a live one, so before
 * starting we stop ours cleanly and remove a stale file.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

    private StalePostmaster() {
    }

    static void clear(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        refuseIfAnotherLodgeRuns(dataDir);
        Optional<ProcessHandle> postmaster = pid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive).filter(p -> servesDirectory(p, dataDir));
        if (postmaster.isPresent()) {
            stop(postmaster.get());
        } else {
            log.info("removing the stale {} of a postmaster that is gone", pidFile);
        }
        Files.deleteIfExists(pidFile);
    }

    private static void refuseIfAnotherLodgeRuns(Path dataDir) throws IOException {
        DataDirectoryLock.hold(dataDir).close();
    }

    private static Optional<Long> pid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException garbled) {
            return Optional.empty();
        }
    }

    /** A postgres executable whose working directory is this data directory (the postmaster chdirs there). */
    private static boolean servesDirectory(ProcessHandle process, Path dataDir) {
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        try {
            return Files.readSymbolicLink(proc.resolve("exe")).getFileName().toString().equals("postgres")
                    && Files.readSymbolicLink(proc.resolve("cwd")).equals(dataDir.toRealPath());
        } catch (IOException | UnsupportedOperationException vanishedOrForeign) {
            return false;
        }
    }

    private static void stop(ProcessHandle postmaster) throws IOException {
        log.info("stopping the orphaned postmaster {} of a Lodge that was killed", postmaster.pid());
        // SIGTERM is PostgreSQL's "smart" shutdown: its clients died with the old JVM, so it
        // checkpoints and exits at once, leaving a clean data directory.
        postmaster.destroy();
        try {
            postmaster.onExit().get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the orphaned postmaster " + postmaster.pid() + " did not stop within " + SHUTDOWN_WAIT);
        } catch (ExecutionException e) {
            throw new IOException("waiting for the orphaned postmaster " + postmaster.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the orphaned postmaster " + postmaster.pid(), e);
        }
    }
}
