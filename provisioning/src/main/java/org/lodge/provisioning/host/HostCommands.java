package org.lodge.provisioning.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Runs the few host programs libvirt has no call for. Only allow-listed programs, always as an
 * argument list (no shell), always with a timeout.
 */
@Component
public class HostCommands {

    /** The allow-list: each program by its absolute path. */
    public enum Program {
        MKFS_EXT4("/sbin/mkfs.ext4"),
        E2FSCK("/sbin/e2fsck"),
        RESIZE2FS("/sbin/resize2fs"),
        MOUNT("/usr/bin/mount", true),
        UMOUNT("/usr/bin/umount", true),
        MKFS_VFAT("/sbin/mkfs.vfat"),
        MCOPY("/usr/bin/mcopy"),
        IP("/bin/ip"),
        NFT("/usr/sbin/nft"),
        /** VM backups: a stopped VM's disk chain flattened, an image checked. */
        QEMU_IMG("/usr/bin/qemu-img"),
        /** Backups (docs/backups.md): the engine, the freeze of a jail's filesystem, the copy of its image. */
        RESTIC("/usr/bin/restic"),
        FSFREEZE("/usr/sbin/fsfreeze"),
        /** A running jail's filesystem flushed ({@code sync --file-system}) before its write counter is read. */
        SYNC("/usr/bin/sync"),
        CP("/usr/bin/cp"),
        /** A download of files from a jail backup: a tar archive compressed by zstd (docs/backups.md). */
        TAR("/usr/bin/tar"),
        /** Makes the loop device a unit's frozen copies keep (JailSnapshots.mountCopy) when it does not exist yet. */
        LOSETUP("/usr/sbin/losetup");

        private final String path;
        /** Changes the node's mount table: never while a jail starts ({@link #withMountsSteady}). */
        private final boolean changesMounts;

        Program(String path) {
            this(path, false);
        }

        Program(String path, boolean changesMounts) {
            this.path = path;
            this.changesMounts = changesMounts;
        }
    }

    /** Work that must not see the node's mount table change while it runs. */
    @FunctionalInterface
    public interface MountSensitive<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Mounts and unmounts, and the jail starts that run under {@link #withMountsSteady}, one at a
     * time on this node: libvirt's LXC driver, while it sets up a starting jail, unmounts every
     * host mount under the new root's old one, and a mount or unmount made meanwhile (another
     * jail's start or stop, a backup's copy) fails that walk and the new jail dies at once
     * ("Failed to unmount ..."; seen with 20 jails started at once). Two starts at once could also
     * race for the same loop device ("Device or resource busy").
     */
    private final ReentrantLock mountTable = new ReentrantLock();

    public <T, E extends Exception> T withMountsSteady(MountSensitive<T, E> work) throws E {
        lockMountTable();
        try {
            return work.run();
        } finally {
            mountTable.unlock();
        }
    }

    private void lockMountTable() {
        try {
            mountTable.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the node's mount table", e);
        }
    }

    // Not the common pool: on a 2-core node it has one thread, and these reads block.
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "host-command-output");
        thread.setDaemon(true);
        return thread;
    });

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    public record Result(int exitCode, String output) {
    }

    public Result run(Program program, List<String> args, Duration timeout) {
        return run(program, args, null, timeout);
    }

    /** Runs with {@code input} on the program's standard input (none when null). */
    public Result run(Program program, List<String> args, String input, Duration timeout) {
        return program.changesMounts ? withMountsSteady(() -> runNow(program, args, input, timeout))
                : runNow(program, args, input, timeout);
    }

    private Result runNow(Program program, List<String> args, String input, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(program.path);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = start(program, builder);
            // Read while it runs: a program with more output than the pipe holds would block otherwise.
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process), READERS);
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            awaitExit(program, process, timeout);
            return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program.path + ": " + e.getMessage(), e);
        }
    }

    /** Starts nothing for a step already interrupted (its job was taken over, or it timed out). */
    private static Process start(Program program, ProcessBuilder builder) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException(program.path + " not started: interrupted");
        }
        return builder.start();
    }

    /**
     * Waits for the program's end. At its timeout, or when the waiting thread is interrupted (the
     * step is cancelled), the program is stopped too: no child outlives the step that started it.
     */
    private static void awaitExit(Program program, Process process, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new IllegalStateException(program.name().toLowerCase() + " timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program.path + " interrupted; stopped", e);
        }
    }

    /**
     * SIGTERM first, so that a program that cleans up on it can (newer restic releases remove
     * their repository lock; an older one's lock is cleared by the {@code restic unlock} that
     * precedes each use); SIGKILL after a short grace. Its own children go the same way.
     */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static byte[] readAll(Process process) {
        try {
            return process.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard output apart from standard error, for programs that answer in JSON (restic --json). */
    public record Output(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs in {@code workDir} and keeps standard output and standard error apart; standard error
     * goes to a temporary file, so neither pipe can fill up and block the program.
     */
    public Output capture(Program program, List<String> args, Duration timeout, Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(program.path);
        command.addAll(args);
        Path errors = null;
        try {
            errors = Files.createTempFile("lodge-" + program.name().toLowerCase(), ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectError(errors.toFile());
            builder.environment().put("LC_ALL", "C");
            Process process = start(program, builder);
            process.getOutputStream().close();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process), READERS);
            awaitExit(program, process, timeout);
            return new Output(process.exitValue(), new String(stdout.join(), StandardCharsets.UTF_8),
                    Files.readString(errors).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program.path + ": " + e.getMessage(), e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }

    /** Runs and fails unless the exit code is one of {@code okCodes}. */
    public Result runChecked(Program program, List<String> args, Duration timeout, int... okCodes) {
        return check(program, run(program, args, timeout), okCodes);
    }

    /** Runs with {@code input} on standard input and fails unless the exit code is 0. */
    public Result runChecked(Program program, List<String> args, String input, Duration timeout) {
        return check(program, run(program, args, input, timeout));
    }

    private static Result check(Program program, Result result, int... okCodes) {
        for (int ok : okCodes.length == 0 ? new int[] {0} : okCodes) {
            if (result.exitCode() == ok) {
                return result;
            }
        }
        throw new IllegalStateException(program.name().toLowerCase() + " exited with " + result.exitCode()
                + ": " + result.output());
    }
}
