package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupPolicyService;
import org.lodge.provisioning.BackupService;
import org.lodge.provisioning.DoctorView;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeDoctor;
import org.lodge.provisioning.NodeService;
import org.lodge.provisioning.NodeView;
import org.lodge.provisioning.UnitKind;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Staff API: tenants, their customer users, and nodes with their pools. */
@RestController
@Tag(name = "administration")
public class AdminApi {

    public record Tenant(UUID id, String name, String contactEmail) {
        static Tenant of(TenantEntity t) {
            return new Tenant(t.getId(), t.getName(), t.getContactEmail());
        }
    }

    public record Contact(String contactEmail) {
    }

    public record NewTenant(String name) {
    }

    public record NewUser(String username, String password) {
    }

    public record User(UUID id, String username, UUID tenantId) {
    }

    public record TemplateEnabled(boolean enabled) {
    }

    public record TcgAllowance(boolean allowed) {
    }

    private final TenantService tenants;
    private final NodeService nodes;
    private final NodeDoctor doctor;
    private final BackupService backups;
    private final BackupPolicyService policies;

    public AdminApi(TenantService tenants, NodeService nodes, NodeDoctor doctor, BackupService backups,
                    BackupPolicyService policies) {
        this.backups = backups;
        this.policies = policies;
        this.tenants = tenants;
        this.nodes = nodes;
        this.doctor = doctor;
    }

    @GetMapping("/api/tenants")
    public List<Tenant> tenants() {
        return tenants.tenants().stream().map(Tenant::of).toList();
    }

    @PostMapping("/api/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    public Tenant createTenant(@RequestBody NewTenant body) {
        return Tenant.of(tenants.createTenant(body.name()));
    }

    @PostMapping("/api/tenants/{id}/users")
    @ResponseStatus(HttpStatus.CREATED)
    public User createUser(@PathVariable UUID id, @RequestBody NewUser body) {
        var user = tenants.createUser(body.username(), body.password(), Role.CUSTOMER, tenants.tenant(id).getId());
        return new User(user.getId(), user.getUsername(), user.getTenantId());
    }

    /** Where the tenant's unit alerts are e-mailed; blank removes the address. */
    @PutMapping("/api/tenants/{id}/contact")
    public Tenant contact(@PathVariable UUID id, @RequestBody Contact body) {
        return Tenant.of(tenants.setContactEmail(id, body.contactEmail()));
    }

    /** The tenant's default backup schedule (every jail of it without its own): Quartz cron, jitter, enabled. */
    @PutMapping("/api/tenants/{id}/backup-schedule")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void backupSchedule(@PathVariable UUID id, @RequestBody BackupPolicyService.Schedule body) {
        policies.setTenantSchedule(id, body);
    }

    @GetMapping("/api/nodes")
    public List<NodeView> nodes() {
        return nodes.nodes();
    }

    /** Allows (or no longer allows) new VMs under software emulation on a node without KVM. */
    @PutMapping("/api/nodes/{name}/vm-tcg")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void allowTcg(@PathVariable String name, @RequestBody TcgAllowance body) {
        nodes.allowTcg(name, body.allowed());
    }

    /** The templates a new unit of {@code kind} may be made from on the node: the enabled ones, the default first. */
    @GetMapping("/api/nodes/{name}/templates")
    public List<NodeView.Template> templates(@PathVariable String name, @RequestParam UnitKind kind) {
        return nodes.node(name).offered(kind);
    }

    /** Enables or disables a template of the node's catalogue (the default cannot be disabled). */
    @PutMapping("/api/nodes/{name}/templates/{template}/enabled")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void enableTemplate(@PathVariable String name, @PathVariable String template,
                               @RequestBody TemplateEnabled body) {
        nodes.enableTemplate(name, template, body.enabled());
    }

    /** Makes a template the default of its kind on the node (what a request naming no template gets). */
    @PutMapping("/api/nodes/{name}/templates/{template}/default")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void makeDefaultTemplate(@PathVariable String name, @PathVariable String template) {
        nodes.makeDefaultTemplate(name, template);
    }

    /** Queues the doctor on the node's worker: a check, or with {@code repair=true} a check that removes true orphans. */
    @PostMapping("/api/nodes/{name}/doctor")
    public ResponseEntity<JobView> runDoctor(@AuthenticationPrincipal PortalUser user, @PathVariable String name,
                                             @RequestParam(defaultValue = "false") boolean repair) {
        JobView job = doctor.request(name, repair, user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    /** Queues the node's re-verification of its backups now (it also runs weekly): every verified backup restored again. */
    @PostMapping("/api/nodes/{name}/backups/verify")
    public ResponseEntity<JobView> reverifyBackups(@AuthenticationPrincipal PortalUser user, @PathVariable String name) {
        JobView job = backups.requestReverification(name, user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    /** The node's latest doctor job and its summary; the findings are in that job's log. */
    @GetMapping("/api/nodes/{name}/doctor")
    public ResponseEntity<DoctorView> latestDoctor(@AuthenticationPrincipal PortalUser user, @PathVariable String name) {
        return ResponseEntity.of(doctor.latest(name, user.scope()));
    }
}
