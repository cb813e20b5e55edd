package org.lodge.provisioning.jail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.springframework.stereotype.Component;

/**
 * A running jail's task limit. libvirt's LXC driver puts a jail in a cgroup of every cgroup v1
 * controller but {@code pids}, and its domain XML has no pids limit; so after each start the
 * worker makes the same group under the pids hierarchy, sets {@code pids.max} and moves the
 * jail's processes there (their children follow). A fork bomb then stops at the limit.
 */
@Component
public class JailPidsLimit {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final Path PIDS = CGROUPS.resolve("pids");
    /**
     * How long the move is repeated for processes forked while it ran: bounded in time, not in
     * rounds, for while the jail's init starts its services every round may find new ones.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /** Between rounds: short, since the job waits on this and the services are forked within milliseconds. */
    private static final Duration PAUSE = Duration.ofMillis(1);

    private final NodeProperties node;

    public JailPidsLimit(NodeProperties node) {
        this.node = node;
    }

    /** Limits the jail whose domain just started; the limit in force afterwards. */
    public int apply(String libvirtName, Domain domain) {
        int max = node.jailLimits().pidsMax();
        try {
            int controller = domain.getID();
            long init = JailHost.initPid(domain).orElseThrow(() -> new IllegalStateException(
                    "the init of " + libvirtName + " is gone"));
            // libvirt's group of the jail, e.g. /machine/lxc-<controller pid>-<name>.libvirt-lxc
            String group = groupOf(init, "cpu");
            Path limited = PIDS.resolve(group.substring(1));
            if (!Files.isDirectory(PIDS)) {
                throw new IllegalStateException("this node has no cgroup v1 pids hierarchy at " + PIDS);
            }
            Files.createDirectories(limited);
            Files.writeString(limited.resolve("pids.max"), String.valueOf(max));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (int round = 0; System.nanoTime() < deadline; round++) {
                if (round > 1) {
                    Thread.sleep(PAUSE.toMillis());
                }
                Set<Long> missing = members(CGROUPS.resolve("cpu").resolve(group.substring(1)));
                missing.remove((long) controller);
                missing.removeAll(members(limited));
                if (missing.isEmpty()) {
                    return max;
                }
                // Oldest first: once a parent is in, what it forks next is born inside.
                for (long pid : new TreeSet<>(missing)) {
                    move(pid, limited);
                }
            }
            throw new IllegalStateException("the processes of " + libvirtName + " keep forking: not limited");
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("pids limit of " + libvirtName, e);
        } catch (IOException e) {
            throw new UncheckedIOException("pids limit of " + libvirtName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pids limit of " + libvirtName + " interrupted", e);
        }
    }

    /** Removes the (empty) pids groups the jail's past runs left; safe when there are none. */
    public void release(String libvirtName) {
        Path machine = PIDS.resolve("machine");
        if (!Files.isDirectory(machine)) {
            return;
        }
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(machine,
                "lxc-*-" + libvirtName + ".libvirt-lxc")) {
            for (Path group : groups) {
                // rmdir of a cgroup fails while a process is in it: a running jail keeps its group.
                if (members(group).isEmpty()) {
                    Files.deleteIfExists(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("releasing the pids group of " + libvirtName, e);
        }
    }

    /** The path of {@code pid}'s group in the hierarchy holding {@code controller}. */
    static String groupOf(long pid, String controller) throws IOException {
        // Lines are "id:controllers:path", controllers comma-separated (e.g. "cpu,cpuacct").
        Optional<String> group = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup")).stream()
                .map(line -> line.split(":", 3)).filter(f -> f.length == 3)
                .filter(f -> Set.of(f[1].split(",")).contains(controller)).map(f -> f[2]).findFirst();
        return group.orElseThrow(() -> new IllegalStateException("process " + pid + " has no " + controller
                + " cgroup"));
    }

    private static Set<Long> members(Path group) throws IOException {
        try {
            return Files.readAllLines(group.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                    .map(Long::parseLong).collect(Collectors.toCollection(HashSet::new));
        } catch (NoSuchFileException gone) {
            return new HashSet<>();
        }
    }

    private static void move(long pid, Path group) throws IOException {
        try {
            Files.writeString(group.resolve("cgroup.procs"), String.valueOf(pid));
        } catch (IOException e) {
            // A process that exited meanwhile (ESRCH) needs no limit; anything else does matter.
            if (Files.exists(Path.of("/proc", String.valueOf(pid)))) {
                throw e;
            }
        }
    }
}
