package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BatchView;
import org.lodge.provisioning.BulkAction;
import org.lodge.provisioning.BulkActions;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Bulk actions (staff): one job per selected unit, grouped in a batch that can be followed. */
@RestController
@Tag(name = "bulk actions")
public class BulkApi {

    /** An action (start, stop, restart, backup) and the ids of the units to ask it of. */
    public record BulkRequest(String action, List<UUID> unitIds) {
    }

    /** A batch with its summary, so a client need not count. */
    public record Batch(BatchView batch, BatchView.Summary summary) {
        static Batch of(BatchView view) {
            return new Batch(view, view.summary());
        }
    }

    private final BulkActions bulk;

    public BulkApi(BulkActions bulk) {
        this.bulk = bulk;
    }

    @Operation(summary = "Queue one action (start, stop, restart; backup for jails) on up to 100 units (staff)."
            + " Each unit gets its own job; a unit that cannot take the action is listed as skipped with the reason."
            + " Answers 202 with the batch; follow it at /api/batches/{id}.")
    @PostMapping("/api/units/bulk")
    public ResponseEntity<Batch> request(@AuthenticationPrincipal PortalUser user, @RequestBody BulkRequest body) {
        BatchView batch = bulk.request(BulkAction.parse(body.action()), body.unitIds(), user.scope(), user.getUsername());
        return ResponseEntity.accepted().location(URI.create("/api/batches/" + batch.id())).body(Batch.of(batch));
    }

    @Operation(summary = "A batch of a bulk action: each unit's job and its state, or why it was skipped;"
            + " and how many are queued, running, OK and KO (staff).")
    @GetMapping("/api/batches/{id}")
    public Batch get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return Batch.of(bulk.find(id, user.scope()));
    }
}
