package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The customer's way into a VM: OpenSSH as root with the key given at creation (the seed's
 * {@code ssh_authorized_keys}), and the host programs a test runs beside it. Every command is an
 * argument list, bounded to 3 minutes; a failure fails the test.
 */
record GuestShell(Path dir, Path key) {

    /** Makes an ed25519 key pair in {@code dir}; its public half goes into the VM's {@code sshKey}. */
    static GuestShell withNewKey(Path dir) throws IOException, InterruptedException {
        Path key = dir.resolve("id_ed25519");
        GuestShell shell = new GuestShell(dir, key);
        shell.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "customer@debvm", "-f", key.toString()));
        return shell;
    }

    String publicKey() throws IOException {
        return Files.readString(key.resolveSibling("id_ed25519.pub"));
    }

    /** Runs {@code command} as root in the guest at {@code ip}. */
    String ssh(String ip, String... command) throws IOException, InterruptedException {
        return run(sshCommand(ip, command));
    }

    /**
     * {@link #ssh} once the guest's sshd listens: on a fresh disk it starts after cloud-init has made
     * the host keys, which may be after the job's HTTP and FTP proofs. Only "connection refused" is
     * waited out, every 2 s up to {@code patience}; any other failure fails at once.
     */
    String sshWhenUp(String ip, Duration patience, String... command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Result result = attempt(sshCommand(ip, command));
            if (result.ok() || !result.text().contains("Connection refused") || System.nanoTime() > deadline) {
                assertThat(result.ok()).as(List.of(command) + " on " + ip + " → " + result.text()).isTrue();
                return result.text();
            }
            Thread.sleep(2000);
        }
    }

    private List<String> sshCommand(String ip, String... command) {
        List<String> all = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=20", "root@" + ip));
        all.addAll(List.of(command));
        return all;
    }

    /** What a copy must not share with its source: machine-id, then the SSH host key (without its comment). */
    String identity(String ip) throws IOException, InterruptedException {
        return ssh(ip, "cat /etc/machine-id && cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub");
    }

    /** The last line of {@code df -B1 --output=size /} in the guest: its root filesystem in bytes. */
    long rootFilesystemBytes(String ip) throws IOException, InterruptedException {
        String df = ssh(ip, "df", "-B1", "--output=size", "/");
        return Long.parseLong(df.lines().reduce((a, b) -> b).orElseThrow().strip());
    }

    /** Runs a program on the host and returns its output (stdout and stderr). */
    String run(List<String> command) throws IOException, InterruptedException {
        Result result = attempt(command);
        assertThat(result.ok()).as(command + " → " + result.text()).isTrue();
        return result.text();
    }

    private record Result(boolean ok, String text) {
    }

    private Result attempt(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "out", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output).strip();
        return new Result(ended && process.exitValue() == 0, (ended ? "" : "(timed out) ") + text);
    }
}
