package org.lodge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.libvirt.Connect;
import org.libvirt.Domain;

/** Host memory of running jails: their memory cgroups' usage (bytes) and the PSS of their processes (KiB). */
record JailMemory(long cgroupBytes, long pssKib) {

    static JailMemory of(String lxcUri, Collection<String> libvirtNames) throws Exception {
        long cgroup = 0;
        long pssKib = 0;
        Connect conn = new Connect(lxcUri, true);
        try {
            for (String name : libvirtNames) {
                Domain domain = conn.domainLookupByName(name);
                Path group = Path.of("/sys/fs/cgroup/memory/machine/lxc-" + domain.getID() + "-" + name + ".libvirt-lxc");
                cgroup += Long.parseLong(Files.readString(group.resolve("memory.usage_in_bytes")).strip());
                for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    for (String line : Files.readAllLines(Path.of("/proc", pid, "smaps_rollup"))) {
                        if (line.startsWith("Pss:")) {
                            pssKib += Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                }
            }
        } finally {
            conn.close();
        }
        return new JailMemory(cgroup, pssKib);
    }

    double cgroupMibEach(int jails) {
        return cgroupBytes / (double) jails / (1 << 20);
    }

    double pssMibEach(int jails) {
        return pssKib / (double) jails / 1024;
    }
}
