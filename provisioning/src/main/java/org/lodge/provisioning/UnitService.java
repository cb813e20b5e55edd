package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.network.AddressBook;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.node.TemplateRepository;
import org.lodge.provisioning.unit.VmSnapshots;
import org.lodge.provisioning.unit.VmExports;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The unit side of the provisioning API (jails and VMs): checks the operator's input and turns
 * it into queued jobs. It writes intents to the database only; the node's worker does the work.
 */
@Service
public class UnitService {

    private static final java.util.regex.Pattern SNAPSHOT_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final List<String> EXPORT_FORMATS = List.of("qcow2", "raw", "vmdk", "vdi");

    private final UnitRepository units;
    private final NodeRepository nodes;
    private final AddressBook addresses;
    private final UnitReservations reservations;
    private final JobRepository jobs;
    private final JobQueue queue;
    private final NodeProperties nodeProps;
    private final TemplateRepository templates;
    private final TemplateChoices choices;
    private final VmSnapshots snapshots;
    private final VmExports exports;
    private final UnitJobs unitJobs;
    private final CustomerSnapshotService customerSnapshots;

    public UnitService(UnitRepository units, NodeRepository nodes, AddressBook addresses,
                       UnitReservations reservations, JobRepository jobs, JobQueue queue, NodeProperties nodeProps,
                       TemplateRepository templates, TemplateChoices choices, VmSnapshots snapshots, VmExports exports,
                       UnitJobs unitJobs, CustomerSnapshotService customerSnapshots) {
        this.customerSnapshots = customerSnapshots;
        this.unitJobs = unitJobs;
        this.exports = exports;
        this.templates = templates;
        this.choices = choices;
        this.snapshots = snapshots;
        this.units = units;
        this.nodes = nodes;
        this.addresses = addresses;
        this.reservations = reservations;
        this.jobs = jobs;
        this.queue = queue;
        this.nodeProps = nodeProps;
    }

    /** Validates everything, then reserves address and domain and queues the creation job. */
    @StaffOnly
    public JobView requestUnit(UnitRequest request, String actor) {
        return create(request, null, actor);
    }

    /**
     * A new VM with its own domain and IPv4 whose disk is a full copy of a stopped VM's disk
     * (same template, vCPUs and memory); it gets its own FTP password, shown once.
     */
    @StaffOnly
    public JobView requestClone(UUID sourceId, String domain, String ipv4, TenantScope scope, String actor) {
        UnitEntity source = ownedVm(sourceId, scope);
        if (source.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", source.domain() + " is " + source.state().name().toLowerCase()
                    + ": stop it before cloning, so its disk is copied at rest", "unit.clone-stopped", source.domain(),
                    source.state().label());
        }
        UnitRequest request = new UnitRequest(source.tenantId(), source.nodeName(), UnitKind.VM,
                (source.diskBytes() >> 20) + "M", domain, ipv4, String.valueOf(source.vcpus()),
                String.valueOf(source.memoryMib()), source.template(), null);
        return create(request, new Seed(JobKind.CLONE_VM, "{\"source\":\"" + source.id() + "\"}",
                CopiedDisk.of(source)), actor);
    }

    /**
     * A new jail whose web root comes from a verified backup (checked by BackupService), on the
     * backup's node; its own domain, IPv4 and FTP password, shown once.
     */
    @StaffOnly
    public JobView requestFromBackup(UnitRequest request, UUID backupId, String actor) {
        return create(request, new Seed(JobKind.RESTORE_NEW_JAIL, "{\"backup\":\"" + backupId + "\"}", null), actor);
    }

    /**
     * A new VM whose disk is a verified VM backup's image (checked by BackupService), on the
     * backup's node; its own domain, IPv4, seed and FTP password (shown once); it serves the
     * backed-up unit's site, {@code siteDomain}.
     */
    @StaffOnly
    public JobView requestVmFromBackup(UnitRequest request, UUID backupId, String siteDomain, CopiedDisk disk,
                                       String actor) {
        com.fasterxml.jackson.databind.node.ObjectNode params = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().put("backup", backupId.toString()).put("siteDomain", siteDomain);
        return create(request, new Seed(JobKind.RESTORE_NEW_VM, params.toString(), disk), actor);
    }

    /**
     * What a unit is made from when it is not made from its template alone: the job and its
     * parameters, and the disk it copies (a clone's, a VM backup's), if any.
     */
    private record Seed(JobKind kind, String params, CopiedDisk copied) {
    }

    private JobView create(UnitRequest request, Seed seed, String actor) {
        CopiedDisk copied = seed == null ? null : seed.copied();
        if (request.idempotencyKey() != null) {
            Optional<JobEntity> earlier = jobs.findByIdempotencyKey(request.idempotencyKey());
            if (earlier.isPresent() && earlier.get().tenantId().equals(request.tenantId())) {
                return earlier.get().view();
            }
        }
        List<InvalidInputException> problems = new ArrayList<>();
        String nodeName = request.node() == null || request.node().isBlank() ? nodeProps.name() : request.node();
        Optional<NodeEntity> node = nodes.findById(nodeName);
        if (node.isEmpty()) {
            problems.add(new InvalidInputException("node", "unknown node '" + nodeName + "'", "node.unknown", nodeName));
        }
        DomainName domain = attempt(problems, () -> DomainName.parse(request.domain()));
        Ipv4Address ipv4 = attempt(problems, () -> Ipv4Address.parse(request.ipv4()));
        DiskSize size = attempt(problems, () -> DiskSize.parse(request.diskSize()));
        IpPoolEntity pool = null;
        if (node.isPresent() && ipv4 != null) {
            Ipv4Address address = ipv4;
            pool = attempt(problems, () -> addresses.poolFor(nodeName, address));
            if (pool != null && addresses.inUse(ipv4)) {
                problems.add(ipAlreadyInUse(ipv4));
            }
        }
        if (domain != null && units.existsByDomain(domain.ascii())) {
            problems.add(domainAlreadyHosted(domain));
        }
        if (request.plan() != null && !request.plan().matches("[a-z0-9][a-z0-9-]{0,39}")) {
            problems.add(new InvalidInputException("plan", "a plan code has 1 to 40 characters: a-z, 0-9 and '-'",
                    "unit.plan-code"));
        }
        UnitKind kind = request.kind() == null ? UnitKind.JAIL : request.kind();
        SshPublicKey sshKey = attempt(problems, () -> SshPublicKey.parseOptional(request.sshKey()));
        if (sshKey != null && kind != UnitKind.VM) {
            problems.add(new InvalidInputException("sshKey", "an SSH key is for a VM; a jail is reached by FTP and"
                    + " its console", "unit.ssh-key-jail"));
        }
        VmShape vm = null;
        TemplateEntity template = node.isEmpty() ? null
                : choices.choose(nodeName, kind, request.template(), size, copied != null, problems).orElse(null);
        if (node.isPresent() && size != null) {
            checkFree(node.get(), size, problems);
        }
        if (kind == UnitKind.VM && node.isPresent()) {
            vm = vmShape(node.get(), request, template, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        // A template may need more memory than the node gives a jail by default (PHP-FPM does).
        UnitEntity unit = kind == UnitKind.JAIL
                ? UnitEntity.jail(request.tenantId(), nodeName, pool.id(), domain, ipv4.value(), size.bytes(),
                        Math.max(nodeProps.jailMemoryMib(), template.minMemoryMib()), template.name())
                : UnitEntity.vm(request.tenantId(), nodeName, pool.id(), domain, ipv4.value(), size.bytes(),
                        vm.memoryMib(), vm.vcpus(), template.name());
        // A copied disk comes from the version its VM was made from, and already holds its VM's key:
        // the new seed gives that key again for the new instance.
        unit.madeFromVersion(copied != null ? copied.templateVersion() : template.version());
        unit.authorizeSshKey(copied != null ? copied.sshAuthorizedKey() : sshKey == null ? null : sshKey.line());
        try {
            return seed == null ? reservations.reserve(unit, request.idempotencyKey(), request.plan(), actor).view()
                    : reservations.reserveFrom(unit, seed.kind(), seed.params(), actor).view();
        } catch (DataIntegrityViolationException race) {
            // Another request took the address or the domain between our check and our insert.
            throw units.existsByDomain(domain.ascii())
                    ? new InvalidRequestException(List.of(domainAlreadyHosted(domain)))
                    : new InvalidRequestException(List.of(ipAlreadyInUse(ipv4)));
        }
    }

    /** Power control is self-service on the caller's own units; every other action is staff work. */
    @Transactional
    @PreAuthorize("#action.selfService() or hasRole('STAFF')")
    public JobView requestAction(UUID unitId, UnitAction action, TenantScope scope, String actor) {
        UnitEntity unit = owned(unitId, scope);
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
        return enqueue(unit, kind, "{}", actor);
    }

    /** Grows the unit's disk (a jail offline: stop, grow, check the filesystem, restart; a running VM live). */
    @Transactional
    @StaffOnly
    public JobView requestGrow(UUID unitId, String newSize, TenantScope scope, String actor) {
        UnitEntity unit = owned(unitId, scope);
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
        return enqueue(unit, unit.kind().growJob(), "{\"diskBytes\":" + size.bytes() + "}", actor);
    }

    /** Changes a VM's memory and vCPUs; they apply at its next boot. */
    @Transactional
    @StaffOnly
    public JobView requestResize(UUID unitId, String vcpus, String memory, TenantScope scope, String actor) {
        UnitEntity vm = ownedVm(unitId, scope);
        NodeEntity node = nodes.findById(vm.nodeName()).orElseThrow();
        int minMemory = templates.find(vm.nodeName(), vm.template()).map(TemplateEntity::minMemoryMib).orElse(32);
        List<InvalidInputException> problems = new ArrayList<>();
        Integer cpus = count(problems, "vcpus", vcpus, vm.vcpus(), 1, node.vmMaxVcpus(), "vCPUs");
        Integer mib = count(problems, "memory", memory, vm.memoryMib(), minMemory, node.vmMaxMemoryMib(), "MiB of memory");
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return enqueue(vm, JobKind.RESIZE_VM, "{\"vcpus\":" + cpus + ",\"memoryMib\":" + mib + "}", actor);
    }

    /**
     * Creates, reverts to or deletes a named snapshot of a VM: staff always, the VM's customers
     * where staff opened its snapshots to them, within the cap ({@link CustomerSnapshotService}).
     */
    @Transactional
    public JobView requestSnapshot(UUID unitId, JobKind kind, String name, TenantScope scope, String actor) {
        UnitEntity vm = ownedVm(unitId, scope);
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
        return enqueue(vm, kind, "{\"snapshot\":\"" + name + "\"}", actor);
    }

    /** Exports a stopped VM's disk as qcow2, raw, vmdk or vdi (a new standalone image). */
    @Transactional
    @StaffOnly
    public JobView requestExport(UUID unitId, String format, TenantScope scope, String actor) {
        UnitEntity vm = ownedVm(unitId, scope);
        if (format == null || !EXPORT_FORMATS.contains(format)) {
            throw InvalidRequestException.of("format", "export as one of " + String.join(", ", EXPORT_FORMATS),
                    "unit.export-format", String.join(", ", EXPORT_FORMATS));
        }
        if (vm.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", vm.domain() + " is " + vm.state().name().toLowerCase()
                    + ": stop it before exporting, so its disk is copied at rest", "unit.export-stopped", vm.domain(),
                    vm.state().label());
        }
        return enqueue(vm, JobKind.EXPORT_VM, "{\"format\":\"" + format + "\"}", actor);
    }

    @Transactional(readOnly = true)
    public List<ExportView> exports(UUID unitId, TenantScope scope) {
        return exports.list(ownedVm(unitId, scope).id());
    }

    @Transactional(readOnly = true)
    public ExportView export(UUID unitId, UUID jobId, TenantScope scope) {
        return exports.find(ownedVm(unitId, scope).id(), jobId).orElseThrow(() -> new NotFoundException("export " + jobId));
    }

    @Transactional(readOnly = true)
    public List<SnapshotView> snapshots(UUID unitId, TenantScope scope) {
        return snapshots.list(ownedVm(unitId, scope).id());
    }

    /**
     * Where the portal reaches the console of a running unit the caller may see: its node's console
     * gateway, which checks again in libvirt at connect time; refused when it is off.
     */
    @Transactional(readOnly = true)
    public ConsoleEndpoint console(UUID unitId, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
        NodeEntity node = nodes.findById(unit.nodeName()).orElseThrow();
        if (unit.state() != UnitState.RUNNING && unit.state() != UnitState.PAUSED) {
            throw InvalidRequestException.of("console", unit.domain() + " is not running: start it to use its console",
                    "console.not-running", unit.domain());
        }
        if (node.consolePort() == null) {
            throw InvalidRequestException.of("console", "the console gateway of node " + node.name() + " is not running",
                    "console.gateway", node.name());
        }
        return new ConsoleEndpoint(unit.id(), unit.kind(), unit.domain(), node.consoleHost(), node.consolePort());
    }

    private UnitEntity ownedVm(UUID unitId, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
        if (unit.kind() != UnitKind.VM) {
            throw InvalidRequestException.of("action", unit.domain() + " is a jail; this is for VMs", "unit.vm-only",
                    unit.domain());
        }
        return unit;
    }

    @Transactional(readOnly = true)
    public List<UnitView> list(TenantScope scope) {
        List<UnitEntity> found = scope.tenantId().map(units::findByTenantIdOrderByDomain)
                .orElseGet(units::findAllByOrderByDomain);
        return found.stream().map(UnitEntity::view).toList();
    }

    @Transactional(readOnly = true)
    public UnitView find(UUID unitId, TenantScope scope) {
        return owned(unitId, scope).view();
    }

    private JobView enqueue(UnitEntity unit, JobKind kind, String params, String actor) {
        return unitJobs.enqueue(unit, kind, params, actor);
    }

    private UnitEntity owned(UUID unitId, TenantScope scope) {
        return unitJobs.owned(unitId, scope);
    }

    private static void checkFree(NodeEntity node, DiskSize size, List<InvalidInputException> problems) {
        if (size.bytes() > node.freeDiskBytes()) {
            problems.add(new InvalidInputException("diskSize", size.human() + " is more than the "
                    + DiskSize.ofBytes(node.freeDiskBytes()).human() + " free on node " + node.name(), "unit.disk-free",
                    size.human(), DiskSize.ofBytes(node.freeDiskBytes()).human(), node.name()));
        }
    }

    private record VmShape(int vcpus, int memoryMib) {
    }

    /** A VM's vCPUs and memory, checked against its template and the node's bounds. */
    private VmShape vmShape(NodeEntity node, UnitRequest request, TemplateEntity template,
                            List<InvalidInputException> problems) {
        if (node.vmsNeedTcg() && !node.vmTcgAllowed()) {
            problems.add(new InvalidInputException("kind", "node " + node.name() + " has no hardware virtualisation,"
                    + " so a VM would run under software emulation (TCG); staff must allow that for the node first"
                    + " (Nodes page)", "unit.vm-needs-tcg", node.name()));
        }
        Integer vcpus = count(problems, "vcpus", request.vcpus(), 1, 1, node.vmMaxVcpus(), "vCPUs");
        int minMemory = template == null ? 32 : template.minMemoryMib();
        // Blank memory: the node's default, but never less than the template needs.
        Integer memory = count(problems, "memory", request.memory(), Math.max(nodeProps.vm().defaultMemoryMib(),
                minMemory), minMemory, node.vmMaxMemoryMib(), "MiB of memory");
        return template == null || vcpus == null || memory == null ? null : new VmShape(vcpus, memory);
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

    private static InvalidInputException ipAlreadyInUse(Ipv4Address ipv4) {
        return new InvalidInputException("ipv4", ipv4.value() + " is already in use", "ipv4.in-use", ipv4.value());
    }

    private static InvalidInputException domainAlreadyHosted(DomainName domain) {
        return new InvalidInputException("domain", domain.ascii() + " is already hosted here", "domain.taken",
                domain.unicode());
    }

    private static <T> T attempt(List<InvalidInputException> problems, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            problems.add(e);
            return null;
        }
    }
}
