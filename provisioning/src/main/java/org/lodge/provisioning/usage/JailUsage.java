package org.lodge.provisioning.usage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.jail.JailHost;
import org.springframework.stereotype.Component;

/**
 * A running jail's counters, read from the kernel rather than from libvirt (whose LXC driver has
 * no block or memory statistics worth the name): CPU time and memory from the jail's cgroup (v1
 * or v2, whichever the node runs), disk use from its mounted image, disk I/O from the image's
 * loop device, traffic from its host-side interface (named after the domain). A handful of small
 * file reads per jail, no libvirt call.
 */
@Component
@WorkerRole
public class JailUsage {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final boolean UNIFIED = Files.exists(CGROUPS.resolve("cgroup.controllers"));
    private static final long SECTOR = 512;

    /** Loop devices outlive a jail's run and keep counting: I/O is counted from the first look at a run. */
    private record IoBase(String device, long controller, long read, long written) {
    }

    private final NodeProperties node;
    private final Map<String, IoBase> ioBases = new ConcurrentHashMap<>();

    public JailUsage(NodeProperties node) {
        this.node = node;
    }

    /** What one pass reads once for all jails: the node's mounts (mount point → device number). */
    public Map<String, String> mounts() {
        Map<String, String> devices = new HashMap<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            // "36 25 7:3 / /var/lib/lodge/mnt/lodge-0a1b2c3d rw,... - ext4 /dev/loop3 rw"
            lines.map(line -> line.split(" ", 6)).filter(f -> f.length == 6).forEach(f -> devices.put(f[4], f[2]));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the node's mounts", e);
        }
        return devices;
    }

    /** The counters of the jail whose libvirt controller has that PID (libvirt's ID of an LXC domain). */
    public Counters read(String libvirtName, int controller, Map<String, String> mounts) {
        Long cpu = null;
        Long memory = null;
        long init = initPid(controller);
        if (init > 0) {
            Map<String, String> groups = groups(init);
            cpu = UNIFIED ? cpuV2(groups.get("")) : cpuV1(groups);
            memory = UNIFIED ? memory(groups.get(""), "memory.current", "inactive_file")
                    : memory(groups.get("memory") == null ? null : "memory" + groups.get("memory"),
                            "memory.usage_in_bytes", "total_inactive_file");
        }
        Path mountPoint = Path.of(node.mountDir(), libvirtName);
        Long used = JailHost.usedOf(Path.of(node.storageDir(), JailHost.volumeName(libvirtName)), mountPoint.toFile());
        long[] io = io(libvirtName, controller, mounts.get(mountPoint.toString()));
        Path net = Path.of("/sys/class/net", libvirtName, "statistics");
        // The host side of the jail's veth: what the host sends (tx) goes into the jail.
        return new Counters(cpu, memory, used, io == null ? null : io[0], io == null ? null : io[1],
                number(net.resolve("tx_bytes")), number(net.resolve("rx_bytes")));
    }

    /** Forgets the I/O baselines of jails no longer running (called once per pass). */
    public void retain(Set<String> running) {
        ioBases.keySet().retainAll(running);
    }

    private long[] io(String libvirtName, long controller, String device) {
        if (device == null) {
            return null;
        }
        String[] stat = text(Path.of("/sys/dev/block", device, "stat"));
        if (stat == null || stat.length < 7) {
            return null;
        }
        // Fields: reads, merged, sectors read, ms, writes, merged, sectors written, ...
        long read = Long.parseLong(stat[2]) * SECTOR;
        long written = Long.parseLong(stat[6]) * SECTOR;
        IoBase base = ioBases.compute(libvirtName, (name, old) ->
                old != null && old.device().equals(device) && old.controller() == controller
                        && old.read() <= read && old.written() <= written
                        ? old : new IoBase(device, controller, read, written));
        return new long[] {read - base.read(), written - base.written()};
    }

    private static Long cpuV1(Map<String, String> groups) {
        // cpuacct may share its hierarchy with cpu ("cpu,cpuacct"): the line names the directory.
        return groups.entrySet().stream().filter(e -> Set.of(e.getKey().split(",")).contains("cpuacct")).findFirst()
                .map(e -> number(CGROUPS.resolve(e.getKey() + e.getValue()).resolve("cpuacct.usage")))
                .orElse(null);
    }

    private static Long cpuV2(String group) {
        if (group == null) {
            return null;
        }
        Long micros = field(CGROUPS.resolve(group.substring(1)).resolve("cpu.stat"), "usage_usec");
        return micros == null ? null : micros * 1000;
    }

    /** Memory in use, page cache that could be dropped at once (inactive files) left out. */
    private static Long memory(String group, String usageFile, String inactiveField) {
        if (group == null) {
            return null;
        }
        Path dir = CGROUPS.resolve(group.startsWith("/") ? group.substring(1) : group);
        Long usage = number(dir.resolve(usageFile));
        Long inactive = field(dir.resolve("memory.stat"), inactiveField);
        return usage == null ? null : Math.max(0, usage - (inactive == null ? 0 : inactive));
    }

    /** The process's cgroup per hierarchy: controllers ("" for the unified one) → path. */
    private static Map<String, String> groups(long pid) {
        Map<String, String> groups = new HashMap<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "cgroup"))) {
            lines.map(line -> line.split(":", 3)).filter(f -> f.length == 3).forEach(f -> groups.put(f[1], f[2]));
        } catch (IOException | RuntimeException gone) {
            // The jail stopped during the pass: no CPU or memory figure this time.
        }
        return groups;
    }

    /** libvirt's controller (the domain's ID) has one child, the jail's init. */
    private static long initPid(int controller) {
        String[] children = controller <= 0 ? null
                : text(Path.of("/proc", String.valueOf(controller), "task", String.valueOf(controller), "children"));
        return children == null || children.length == 0 || children[0].isEmpty() ? -1 : Long.parseLong(children[0]);
    }

    private static Long field(Path file, String name) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(name + " ")).findFirst()
                    .map(line -> Long.parseLong(line.substring(name.length() + 1).strip())).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Long number(Path file) {
        String[] words = text(file);
        return words == null || words.length == 0 || words[0].isEmpty() ? null : Long.parseLong(words[0]);
    }

    /** A small kernel file's words, or null when it is gone (java.io.File first: no exception per missing file). */
    private static String[] text(Path file) {
        if (!file.toFile().canRead()) {
            return null;
        }
        try {
            return Files.readString(file).strip().split("\\s+");
        } catch (IOException e) {
            return null;
        }
    }
}
