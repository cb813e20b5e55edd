package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.Catalog;
import org.lodge.billing.UnitShape;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.UnitDirectory;
import org.lodge.provisioning.ResultPage;
import org.lodge.provisioning.UnitQuery;
import org.lodge.provisioning.ReinstallService;
import org.lodge.provisioning.UnitView;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.SnapshotView;
import org.lodge.provisioning.ExportView;
import org.lodge.portal.web.ExportDownload;
import org.springframework.core.io.Resource;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobView;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The unit API (jails and VMs): the operator form's twin, with the same checks and the same messages. */
@RestController
@RequestMapping("/api/units")
@Tag(name = "units")
public class UnitApi {

    /**
     * A unit to create: tenant by id or name, kind (JAIL by default, or VM), disk size like "512M",
     * the domain and the IPv4; optionally a template of the node's catalogue (default: the node's
     * default for the kind, e.g. busybox for jails; web-php serves PHP); for VMs optionally vcpus and
     * memory (MiB); optionally the billing plan's code (default: the kind's default plan).
     */
    public record CreateUnit(String tenant, String node, UnitKind kind, String diskSize, String domain, String ipv4,
                             String vcpus, String memory, String template, String plan, String sshKey) {
    }

    public record Resize(String vcpus, String memory) {
    }

    public record Snapshot(String name) {
    }

    public record Clone(String domain, String ipv4) {
    }

    public record Export(String format) {
    }

    public record Grow(String diskSize) {
    }

    /** The unit's domain typed to confirm (ASCII or Unicode), and optionally another template of the catalogue. */
    public record Reinstall(String confirm, String template) {
    }

    private final UnitService units;
    private final UnitActionService actions;
    private final TenantService tenants;
    private final Catalog catalog;
    private final UnitDirectory directory;
    private final ReinstallService reinstalls;

    public UnitApi(UnitService units, UnitActionService actions, TenantService tenants, Catalog catalog, UnitDirectory directory,
                   ReinstallService reinstalls) {
        this.directory = directory;
        this.reinstalls = reinstalls;
        this.units = units;
        this.actions = actions;
        this.tenants = tenants;
        this.catalog = catalog;
    }

    @Operation(summary = "Queue the creation of a jail or VM (staff). Answers 202 with the job; follow it at /api/jobs/{id}.")
    @PostMapping
    public ResponseEntity<JobView> create(@AuthenticationPrincipal PortalUser user, @RequestBody CreateUnit body,
                                          @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        if (body.tenant() == null || body.tenant().isBlank()) {
            throw InvalidRequestException.of("tenant", "name the tenant (id or name) the unit belongs to",
                    "unit.tenant.name");
        }
        if (key != null && (key.isBlank() || key.length() > 100)) {
            throw InvalidRequestException.of("Idempotency-Key", "an idempotency key has 1 to 100 characters",
                    "idempotency-key.length");
        }
        UUID tenant = tenants.resolve(body.tenant()).getId();
        String plan = body.plan() == null || body.plan().isBlank() ? null : body.plan().strip();
        // The plan gives the shape; what the request names overrides it.
        UnitShape shape = catalog.shapeFor(plan, body.kind() == null ? UnitKind.JAIL : body.kind(),
                new UnitShape(body.diskSize(), body.vcpus(), body.memory()));
        JobView job = units.requestUnit(new UnitRequest(tenant, body.node(), body.kind(), shape.diskSize(),
                body.domain(), body.ipv4(), shape.vcpus(), shape.memory(), body.template(), key, plan,
                body.sshKey()),
                user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "List the units (jails and VMs) the caller may see (staff: all; customers: their tenant's),"
            + " a page at a time: page (from 0), size (1-200, default 50), sort (domain, -domain, state, created,"
            + " -created, ipv4), q (a domain or part of one in Unicode or ASCII, an IPv4, or for staff a tenant's"
            + " name), state and kind filters. The body is the page's units; headers X-Total-Count and Link"
            + " (rel next/prev) tell the rest. Bad paging answers 400 naming each parameter.")
    @GetMapping
    public ResponseEntity<List<UnitView>> list(@AuthenticationPrincipal PortalUser user,
                                               @RequestParam(required = false) String q,
                                               @RequestParam(required = false) Integer page,
                                               @RequestParam(required = false) Integer size,
                                               @RequestParam(required = false) String sort,
                                               @RequestParam(required = false) String state,
                                               @RequestParam(required = false) String kind) {
        List<UUID> tenantIds = PageHeaders.searchesTenants(user.isStaff(), q, UnitQuery.MAX_TEXT)
                ? tenants.idsNamed(q.strip()) : List.of();
        ResultPage<UnitView> found = directory.page(user.scope(), UnitQuery.of(q, tenantIds, page, size, sort, state, kind));
        return ResponseEntity.ok().headers(PageHeaders.of(found.total(), found.page(), found.size())).body(found.items());
    }

    @GetMapping("/{id}")
    public UnitView get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return units.find(id, user.scope());
    }

    @Operation(summary = "Queue an action on a unit: start, stop, restart, delete; jails: check-filesystem; VMs: power-off, suspend, resume, save, restore.")
    @PostMapping("/{id}/actions/{action}")
    public ResponseEntity<JobView> act(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                       @PathVariable String action) {
        UnitAction parsed = UnitAction.parse(action);
        JobView job = actions.requestAction(id, parsed, user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "Queue a reinstall: the site reset to a template (the unit's own unless 'template' names"
            + " another of the catalogue that fits), keeping domain, IPv4 and disk size; 'confirm' must be the unit's"
            + " domain, exactly. The new FTP password is revealed once, to the caller only.",
            description = "A VM (job REINSTALL_VM) gets its whole disk made again from the template, keeping its MAC,"
                    + " memory and vCPUs (a template needing more memory is refused); its snapshots are deleted,"
                    + " its exports stay. A failed reinstall puts the previous disk back.")
    @PostMapping("/{id}/actions/reinstall")
    public ResponseEntity<JobView> reinstall(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                             @RequestBody(required = false) Reinstall body) {
        Reinstall asked = body == null ? new Reinstall(null, null) : body;
        return accepted(reinstalls.requestReinstall(id, asked.confirm(), asked.template(), user.scope(),
                user.getUsername()));
    }

    @Operation(summary = "Queue growing a unit's disk: jails offline (stop, enlarge, e2fsck, resize2fs, start), VMs live when running.")
    @PostMapping("/{id}/grow")
    public ResponseEntity<JobView> grow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                        @RequestBody Grow body) {
        JobView job = actions.requestGrow(id, body.diskSize(), user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "Queue a change of a VM's vCPUs and memory (MiB); applies at the next boot.")
    @PostMapping("/{id}/resize")
    public ResponseEntity<JobView> resize(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                          @RequestBody Resize body) {
        return accepted(actions.requestResize(id, body.vcpus(), body.memory(), user.scope(), user.getUsername()));
    }

    @Operation(summary = "Queue a clone of a stopped VM as a new VM with its own domain and IPv4 (staff).")
    @PostMapping("/{id}/clone")
    public ResponseEntity<JobView> cloneVm(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @RequestBody Clone body) {
        return accepted(units.requestClone(id, body.domain(), body.ipv4(), user.scope(), user.getUsername()));
    }

    @Operation(summary = "Queue an export of a stopped VM's disk as qcow2, raw, vmdk or vdi (staff).")
    @PostMapping("/{id}/exports")
    public ResponseEntity<JobView> export(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                          @RequestBody Export body) {
        return accepted(actions.requestExport(id, body.format(), user.scope(), user.getUsername()));
    }

    @Operation(summary = "List a VM's finished disk exports.")
    @GetMapping("/{id}/exports")
    public List<ExportView> exports(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return units.exports(id, user.scope());
    }

    @Operation(summary = "Download a disk export (the file is read on the VM's node; see docs/architecture.md).")
    @GetMapping("/{id}/exports/{jobId}/download")
    public ResponseEntity<Resource> download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                             @PathVariable UUID jobId) {
        return ExportDownload.of(units.export(id, jobId, user.scope()));
    }

    @Operation(summary = "List a VM's snapshots.")
    @GetMapping("/{id}/snapshots")
    public List<SnapshotView> snapshots(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return units.snapshots(id, user.scope());
    }

    @Operation(summary = "Queue a snapshot of a VM (name: a-z, 0-9, '-').")
    @PostMapping("/{id}/snapshots")
    public ResponseEntity<JobView> snapshot(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                            @RequestBody Snapshot body) {
        return accepted(actions.requestSnapshot(id, JobKind.CREATE_VM_SNAPSHOT, body.name(), user.scope(),
                user.getUsername()));
    }

    @Operation(summary = "Queue reverting a VM to a snapshot.")
    @PostMapping("/{id}/snapshots/{name}/revert")
    public ResponseEntity<JobView> revert(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                          @PathVariable String name) {
        return accepted(actions.requestSnapshot(id, JobKind.REVERT_VM_SNAPSHOT, name, user.scope(), user.getUsername()));
    }

    @Operation(summary = "Queue deleting a VM snapshot.")
    @DeleteMapping("/{id}/snapshots/{name}")
    public ResponseEntity<JobView> deleteSnapshot(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                                  @PathVariable String name) {
        return accepted(actions.requestSnapshot(id, JobKind.DELETE_VM_SNAPSHOT, name, user.scope(), user.getUsername()));
    }

    private static ResponseEntity<JobView> accepted(JobView job) {
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }
}
