package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.node.TemplateRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.VmSnapshots;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The actions on an existing unit (power, deletion, FTP password, disk growth, a VM's shape,
 * snapshots and exports): each is checked against the unit as it is now, then queued as one job
 * while no other job is at work on the unit.
 */
@Service
public class UnitActionService {

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final List<String> EXPORT_FORMATS = List.of("qcow2", "raw", "vmdk", "vdi");

    private final UnitJobs unitJobs;
    private final NodeRepository nodes;
    private final TemplateRepository templates;
    private final VmSnapshots snapshots;
    private final CustomerSnapshotService customerSnapshots;

    UnitActionService(UnitJobs unitJobs, NodeRepository nodes, TemplateRepository templates, VmSnapshots snapshots,
                      CustomerSnapshotService customerSnapshots) {
        this.unitJobs = unitJobs;
        this.nodes = nodes;
        this.templates = templates;
        this.snapshots = snapshots;
        this.customerSnapshots = customerSnapshots;
    }

    /** Power control is self-service on the caller's own units; every other action is staff work. */
    @Transactional
    @PreAuthorize("#action.selfService() or hasRole('STAFF')")
    public JobView requestAction(UUID unitId, UnitAction action, TenantScope scope, String actor) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        if (action == UnitAction.DELETE && unit.state() == UnitState.DELETING) {
            throw InvalidRequestException.of("action", unit.domain() + " is already being deleted", "unit.deleting",
                    unit.domain());
        }
        JobKind kind = action.jobFor(unit.kind()).orElseThrow(() -> InvalidRequestException.of("action",
                "a " + unit.kind().name().toLowerCase() + " has no action '" + action.slug() + "'",
                "unit.action-kind-" + unit.kind().name().toLowerCase(), action.slug()));
        if (unit.suspendedFor() != null && !scope.isStaff() && action.runsUnit()) {
            boolean unpaid = "NON_PAYMENT".equals(unit.suspendedFor());
            throw InvalidRequestException.of("action", unit.domain() + " is suspended"
                    + (unpaid ? " for non-payment: it runs again once paid" : " by staff"),
                    unpaid ? "unit.suspended-unpaid" : "unit.suspended-staff", unit.domain());
        }
        if (action == UnitAction.REINSTALL) {
            throw InvalidRequestException.of("confirm", "a reinstall erases the site: it needs the unit's domain typed"
                    + " to confirm (the unit page's reinstall, or POST /api/units/{id}/actions/reinstall with confirm)",
                    "unit.reinstall-confirm");
        }
        if (action == UnitAction.RESET_FTP_PASSWORD && unit.state() != UnitState.RUNNING) {
            throw InvalidRequestException.of("action", unit.domain() + " is " + unit.state().name().toLowerCase()
                    + ": start it first, so the new FTP password can be proven with a real login", "unit.ftp-reset-state",
                    unit.domain(), unit.state().label());
        }
        return unitJobs.enqueue(unit, kind, "{}", actor);
    }

    /** Grows the unit's disk (a jail offline: stop, grow, check the filesystem, restart; a running VM live). */
    @Transactional
    @StaffOnly
    public JobView requestGrow(UUID unitId, String newSize, TenantScope scope, String actor) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        DiskSize size;
        try {
            size = DiskSize.parse(newSize);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(List.of(e));
        }
        if (size.bytes() <= unit.diskBytes()) {
            throw InvalidRequestException.of("diskSize", "the new size " + size.human() + " must be larger than the current "
                    + DiskSize.ofBytes(unit.diskBytes()).human() + " (images only grow)", "unit.grow-smaller", size.human(),
                    DiskSize.ofBytes(unit.diskBytes()).human());
        }
        NodeEntity node = nodes.findById(unit.nodeName()).orElseThrow();
        long growth = size.bytes() - unit.diskBytes();
        if (growth > node.freeDiskBytes()) {
            throw InvalidRequestException.of("diskSize", "growing by " + DiskSize.ofBytes(growth).human()
                    + " needs more than the " + DiskSize.ofBytes(node.freeDiskBytes()).human() + " free on node " + node.name(),
                    "unit.grow-free", DiskSize.ofBytes(growth).human(), DiskSize.ofBytes(node.freeDiskBytes()).human(),
                    node.name());
        }
        return unitJobs.enqueue(unit, unit.kind().growJob(), "{\"diskBytes\":" + size.bytes() + "}", actor);
    }

    /** Changes a VM's memory and vCPUs; they apply at its next boot. */
    @Transactional
    @StaffOnly
    public JobView requestResize(UUID unitId, String vcpus, String memory, TenantScope scope, String actor) {
        UnitEntity vm = unitJobs.ownedVm(unitId, scope);
        NodeEntity node = nodes.findById(vm.nodeName()).orElseThrow();
        int minMemory = templates.find(vm.nodeName(), vm.template()).map(TemplateEntity::minMemoryMib).orElse(32);
        List<InvalidInputException> problems = new ArrayList<>();
        VmShape shape = VmShape.parse(vcpus, memory, new VmShape(vm.vcpus(), vm.memoryMib()), minMemory, node, problems)
                .orElseThrow(() -> new InvalidRequestException(problems));
        return unitJobs.enqueue(vm, JobKind.RESIZE_VM, "{\"vcpus\":" + shape.vcpus() + ",\"memoryMib\":"
                + shape.memoryMib() + "}", actor);
    }

    /**
     * Creates, reverts to or deletes a named snapshot of a VM: staff always, the VM's customers
     * where staff opened its snapshots to them, within the cap ({@link CustomerSnapshotService}).
     */
    @Transactional
    public JobView requestSnapshot(UUID unitId, JobKind kind, String name, TenantScope scope, String actor) {
        UnitEntity vm = unitJobs.ownedVm(unitId, scope);
        if (kind != JobKind.CREATE_VM_SNAPSHOT && kind != JobKind.REVERT_VM_SNAPSHOT && kind != JobKind.DELETE_VM_SNAPSHOT) {
            throw new IllegalArgumentException(kind + " is not a snapshot job");
        }
        customerSnapshots.check(vm, kind, scope);
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
            throw InvalidRequestException.of("snapshot", "a snapshot name has 1 to 40 characters: a-z, 0-9 and '-'"
                    + " (not first)", "snapshot.name");
        }
        boolean exists = snapshots.exists(vm.id(), name);
        if (kind == JobKind.CREATE_VM_SNAPSHOT && exists) {
            throw InvalidRequestException.of("snapshot", "snapshot '" + name + "' already exists", "snapshot.exists", name);
        }
        if (kind != JobKind.CREATE_VM_SNAPSHOT && !exists) {
            throw InvalidRequestException.of("snapshot", "there is no snapshot '" + name + "'", "snapshot.missing", name);
        }
        return unitJobs.enqueue(vm, kind, "{\"snapshot\":\"" + name + "\"}", actor);
    }

    /** Exports a stopped VM's disk as qcow2, raw, vmdk or vdi (a new standalone image). */
    @Transactional
    @StaffOnly
    public JobView requestExport(UUID unitId, String format, TenantScope scope, String actor) {
        UnitEntity vm = unitJobs.ownedVm(unitId, scope);
        if (format == null || !EXPORT_FORMATS.contains(format)) {
            throw InvalidRequestException.of("format", "export as one of " + String.join(", ", EXPORT_FORMATS),
                    "unit.export-format", String.join(", ", EXPORT_FORMATS));
        }
        if (vm.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", vm.domain() + " is " + vm.state().name().toLowerCase()
                    + ": stop it before exporting, so its disk is copied at rest", "unit.export-stopped", vm.domain(),
                    vm.state().label());
        }
        return unitJobs.enqueue(vm, JobKind.EXPORT_VM, "{\"format\":\"" + format + "\"}", actor);
    }
}
