package org.lodge.provisioning.host;

import java.io.IOException;
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
        IP("/bin/ip");

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
