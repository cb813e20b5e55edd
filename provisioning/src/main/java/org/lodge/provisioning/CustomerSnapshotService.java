package org.lodge.provisioning;

import java.util.UUID;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.VmSnapshots;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * VM snapshots as self-service where staff allow it: per VM, a cap on how many snapshots it may
 * hold (0, the default: staff work only). Customers then create (below the cap), revert and
 * delete their own VMs' snapshots through the staff's snapshot jobs; otherwise they are refused
 * with the reason. Per unit, because a VM's snapshots grow its own disk on its own node.
 */
@Service
public class CustomerSnapshotService {

    /** The most a VM may be allowed (the V30 check). */
    public static final int MAX_CAP = 20;

    /** The cap staff set for a VM and how many snapshots it holds now. */
    public record Allowance(int cap, int taken) {

        public boolean open() {
            return cap > 0;
        }

        public boolean full() {
            return taken >= cap;
        }
    }

    private final UnitJobs unitJobs;
    private final UnitRepository units;
    private final VmSnapshots snapshots;

    CustomerSnapshotService(UnitJobs unitJobs, UnitRepository units, VmSnapshots snapshots) {
        this.unitJobs = unitJobs;
        this.units = units;
        this.snapshots = snapshots;
    }

    @Transactional(readOnly = true)
    public Allowance allowance(UUID unitId, TenantScope scope) {
        UnitEntity vm = unitJobs.owned(unitId, scope);
        return new Allowance(vm.customerSnapshots(), snapshots.list(vm.id()).size());
    }

    /** Staff open (cap 1–20) or close (0) a VM's snapshots to its customers. */
    @Transactional
    @StaffOnly
    public Allowance allow(UUID unitId, String cap, TenantScope scope) {
        UnitEntity vm = unitJobs.owned(unitId, scope);
        if (vm.kind() != UnitKind.VM) {
            throw InvalidRequestException.of("customerSnapshots", vm.domain() + " is a jail: only VMs have snapshots",
                    "snapshots.vm-only", vm.domain());
        }
        int value;
        try {
            value = Integer.parseInt(cap == null ? "" : cap.strip());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > MAX_CAP) {
            throw InvalidRequestException.of("customerSnapshots", "the number of snapshots customers may keep is a whole"
                    + " number from 0 (staff only) to " + MAX_CAP, "snapshots.cap", MAX_CAP);
        }
        vm.customerSnapshots(value);
        units.save(vm);
        return new Allowance(value, snapshots.list(vm.id()).size());
    }

    /** Refuses a customer's snapshot job the VM's allowance does not cover; staff are not capped. */
    public void check(UnitEntity vm, JobKind kind, TenantScope scope) {
        if (scope.isStaff()) {
            return;
        }
        String shown = DomainName.stored(vm.domain()).unicode();
        if (vm.customerSnapshots() <= 0) {
            throw InvalidRequestException.of("snapshot", "snapshots of " + shown + " are not open to customers: ask your"
                    + " provider to allow them", "snapshots.closed", shown);
        }
        int taken = snapshots.list(vm.id()).size();
        if (kind == JobKind.CREATE_VM_SNAPSHOT && taken >= vm.customerSnapshots()) {
            throw InvalidRequestException.of("snapshot", shown + " already has " + taken + " snapshots, the most allowed ("
                    + vm.customerSnapshots() + "): delete one first", "snapshots.full", shown, taken, vm.customerSnapshots());
        }
    }
}
