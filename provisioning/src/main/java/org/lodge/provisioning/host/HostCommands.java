package org.lodge.provisioning.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        MOUNT("/usr/bin/mount"),
        UMOUNT("/usr/bin/umount"),
        MKFS_VFAT("/sbin/mkfs.vfat"),
        MCOPY("/usr/bin/mcopy"),
        IP("/bin/ip"),
        /** Backups (docs/backups.md): the engine, the freeze of a jail's filesystem, the copy of its image. */
        RESTIC("/usr/bin/restic"),
        FSFREEZE("/usr/sbin/fsfreeze"),
        CP("/usr/bin/cp");

        private final String path;

        Program(String path) {
            this.path = path;
        }
    }

    public record Result(int exitCode, String output) {
    }

    public Result run(Program program, List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(program.path);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program.name().toLowerCase() + " timed out after " + timeout);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program.path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program.path + " interrupted", e);
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
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program.name().toLowerCase() + " timed out after " + timeout);
            }
            return new Output(process.exitValue(), new String(stdout.join(), StandardCharsets.UTF_8),
                    Files.readString(errors).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program.path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program.path + " interrupted", e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }

    /** Runs and fails unless the exit code is one of {@code okCodes}. */
    public Result runChecked(Program program, List<String> args, Duration timeout, int... okCodes) {
        Result result = run(program, args, timeout);
        for (int ok : okCodes.length == 0 ? new int[] {0} : okCodes) {
            if (result.exitCode() == ok) {
                return result;
            }
        }
        throw new IllegalStateException(program.name().toLowerCase() + " exited with " + result.exitCode()
                + ": " + result.output());
    }
}
