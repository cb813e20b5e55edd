package org.lodge.provisioning;

import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.node.NodeEntity;

/** A VM's vCPUs and memory, as a new VM or a resize asks for them. */
record VmShape(int vcpus, int memoryMib) {

    /**
     * The shape typed, each a whole number within the node's bounds (memory at least
     * {@code minMemoryMib}, what the template needs); a blank field takes its value from
     * {@code blank}. Empty, with the reasons added to {@code problems}, when a field is refused.
     */
    static Optional<VmShape> parse(String vcpus, String memory, VmShape blank, int minMemoryMib, NodeEntity node,
                                   List<InvalidInputException> problems) {
        Integer cpus = count(problems, "vcpus", vcpus, blank.vcpus(), 1, node.vmMaxVcpus(), "vCPUs");
        Integer mib = count(problems, "memory", memory, blank.memoryMib(), minMemoryMib, node.vmMaxMemoryMib(),
                "MiB of memory");
        return cpus == null || mib == null ? Optional.empty() : Optional.of(new VmShape(cpus, mib));
    }

    /** A whole number in [min, max]; blank means the default. */
    private static Integer count(List<InvalidInputException> problems, String field, String text, int fallback,
                                 int min, int max, String what) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            problems.add(new InvalidInputException(field, "'" + text.strip() + "' is not a whole number of " + what,
                    "number.not-whole", text.strip()));
            return null;
        }
        if (value < min || value > max) {
            problems.add(new InvalidInputException(field, value + " " + what + " is outside what this node allows ("
                    + min + "–" + max + ")", "number.outside", value, min, max));
            return null;
        }
        return value;
    }
}
