package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JailAction;
import org.lodge.provisioning.JailRequest;
import org.lodge.provisioning.JailService;
import org.lodge.provisioning.JailView;
import org.lodge.provisioning.JobView;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The jail API: the operator form's twin, with the same checks and the same messages. */
@RestController
@RequestMapping("/api/jails")
@Tag(name = "jails")
public class JailApi {

    /** A jail to create: tenant by id or name, disk size like "512M", the domain and the IPv4. */
    public record CreateJail(String tenant, String node, String diskSize, String domain, String ipv4) {
    }

    public record Grow(String diskSize) {
    }

    private final JailService jails;
    private final TenantService tenants;

    public JailApi(JailService jails, TenantService tenants) {
        this.jails = jails;
        this.tenants = tenants;
    }

    @Operation(summary = "Queue the creation of a jail (staff). Answers 202 with the job; follow it at /api/jobs/{id}.")
    @PostMapping
    public ResponseEntity<JobView> create(@AuthenticationPrincipal PortalUser user, @RequestBody CreateJail body,
                                          @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        if (body.tenant() == null || body.tenant().isBlank()) {
            throw InvalidRequestException.of("tenant", "name the tenant (id or name) the jail belongs to");
        }
        if (key != null && (key.isBlank() || key.length() > 100)) {
            throw InvalidRequestException.of("Idempotency-Key", "an idempotency key has 1 to 100 characters");
        }
        UUID tenant = tenants.resolve(body.tenant()).getId();
        JobView job = jails.requestJail(new JailRequest(tenant, body.node(), body.diskSize(), body.domain(),
                body.ipv4(), key), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "List the jails the caller may see (staff: all; customers: their tenant's).")
    @GetMapping
    public List<JailView> list(@AuthenticationPrincipal PortalUser user) {
        return jails.list(user.scope());
    }

    @GetMapping("/{id}")
    public JailView get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return jails.find(id, user.scope());
    }

    @Operation(summary = "Queue an action on a jail (staff): start, stop, restart, delete, check-filesystem.")
    @PostMapping("/{id}/actions/{action}")
    public ResponseEntity<JobView> act(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                       @PathVariable String action) {
        JailAction parsed = JailAction.parse(action);
        JobView job = jails.requestAction(id, parsed, user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "Queue growing a jail's disk (staff): stop, enlarge, e2fsck, resize2fs, start.")
    @PostMapping("/{id}/grow")
    public ResponseEntity<JobView> grow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                        @RequestBody Grow body) {
        JobView job = jails.requestGrow(id, body.diskSize(), user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }
}
