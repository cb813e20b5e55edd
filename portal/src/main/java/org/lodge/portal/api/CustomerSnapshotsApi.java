package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.CustomerSnapshotService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Whether a VM's customers may take its snapshots, and how many (staff set it). */
@RestController
@RequestMapping("/api/units/{id}/customer-snapshots")
@Tag(name = "units")
public class CustomerSnapshotsApi {

    /** cap: 0 (snapshots are staff work) to 20. */
    public record Cap(String cap) {
    }

    private final CustomerSnapshotService customerSnapshots;

    public CustomerSnapshotsApi(CustomerSnapshotService customerSnapshots) {
        this.customerSnapshots = customerSnapshots;
    }

    @Operation(summary = "How many snapshots the VM's customers may keep (cap; 0: none) and how many it holds.")
    @GetMapping
    public CustomerSnapshotService.Allowance get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return customerSnapshots.allowance(id, user.scope());
    }

    @Operation(summary = "Open a VM's snapshots to its customers up to a cap, or close them with 0 (staff).")
    @PutMapping
    public CustomerSnapshotService.Allowance set(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @RequestBody Cap body) {
        return customerSnapshots.allow(id, body == null ? null : body.cap(), user.scope());
    }
}
