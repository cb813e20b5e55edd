package org.lodge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used on the node by group of processes (this JVM, the programs it ran, PostgreSQL,
 * libvirt, the whole node), read from /proc, and this JVM's time in its JIT compilers: what a
 * piece of work cost the machine, beside how long it took.
 */
final class NodeCpu {

    /** /proc counts in clock ticks; USER_HZ is 100 on Linux. */
    private static final double TICK_MS = 10;

    private NodeCpu() {
    }

    /** Milliseconds of CPU so far, per group. */
    static Map<String, Double> now() {
        Map<String, Double> groups = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(process -> add(process, self, groups));
            // user nice system idle iowait irq softirq steal: all but idle and iowait are busy
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
            }
            groups.put("whole node (/proc/stat)", busy * TICK_MS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        groups.put("of this JVM: its JIT compiling", (double) ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
        return groups;
    }

    /** {@code now() - before}, per group. */
    static Map<String, Double> since(Map<String, Double> before) {
        Map<String, Double> delta = new LinkedHashMap<>();
        now().forEach((group, ms) -> delta.put(group, ms - before.getOrDefault(group, 0.0)));
        return delta;
    }

    /** How this JVM compiles: C1 only (as the worker runs) or C1 and C2 (the JVM's default). */
    static String jit() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:TieredStopAtLevel=1")
                ? "C1 only (-XX:TieredStopAtLevel=1, as lodge-worker.service runs the worker)" : "C1 and C2 (the JVM's default)";
    }

    private static void add(Path process, long self, Map<String, Double> groups) {
        String stat;
        try {
            stat = Files.readString(process.resolve("stat"));
        } catch (IOException ended) {
            return;
        }
        int commEnd = stat.lastIndexOf(')');
        String comm = stat.substring(stat.indexOf('(') + 1, commEnd);
        String[] fields = stat.substring(commEnd + 2).split(" ");
        // utime, stime, cutime, cstime: fields 14-17 of stat(5), 11-14 after the comm
        double own = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MS;
        double waitedChildren = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * TICK_MS;
        if (Long.parseLong(process.getFileName().toString()) == self) {
            groups.merge("this JVM", own, Double::sum);
            groups.merge("programs it ran (mkfs, mount, nft…)", waitedChildren, Double::sum);
        } else if (comm.startsWith("postgres")) {
            groups.merge("PostgreSQL", own + waitedChildren, Double::sum);
        } else if (comm.startsWith("libvirt") || comm.startsWith("virt")) {
            groups.merge("libvirt", own, Double::sum);
        }
    }
}
