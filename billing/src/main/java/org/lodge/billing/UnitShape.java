package org.lodge.billing;

/**
 * A new unit's shape as the request gives it to provisioning (as typed: provisioning parses it):
 * what staff typed wins, every blank field comes from the unit's plan. Memory and vCPUs only
 * for VMs (a jail's limits are the node's).
 */
public record UnitShape(String diskSize, String vcpus, String memory) {

    /** The plan's shape under the fields staff overrode. */
    public static UnitShape of(PlanView plan, UnitShape typed) {
        boolean vm = plan.kind() == org.lodge.provisioning.UnitKind.VM;
        return new UnitShape(blank(typed.diskSize()) ? size(plan.diskBytes()) : typed.diskSize(),
                blank(typed.vcpus()) && vm ? String.valueOf(plan.vcpus()) : typed.vcpus(),
                blank(typed.memory()) && vm ? String.valueOf(plan.memoryMib()) : typed.memory());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Whole GiB as "NG", else whole MiB as "NM" (what DiskSize reads). */
    static String size(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "G" : (bytes >> 20) + "M";
    }
}
