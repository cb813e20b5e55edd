package org.lodge.provisioning;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * One action asked of many units at once (staff only): each unit gets its own job through the
 * same service a single click uses, so the one-active-job-per-unit rule and every other check
 * still hold; a unit that cannot take the action is skipped with the reason, and the rest go on.
 * The batch records which job each unit got, so its page can follow them all.
 */
@Service
public class BulkActions {

    /** At most this many units a batch: the worker runs them a few at a time anyway. */
    public static final int MAX_UNITS = 100;

    private final UnitService units;
    private final UnitActionService actions;
    private final BackupService backups;
    private final JdbcClient jdbc;

    public BulkActions(UnitService units, UnitActionService actions, BackupService backups, JdbcClient jdbc) {
        this.units = units;
        this.actions = actions;
        this.backups = backups;
        this.jdbc = jdbc;
    }

    /**
     * Queues the action on each unit, one job each, in its own short transaction (one unit's
     * refusal cannot undo another's job), and records the batch.
     */
    @StaffOnly
    public BatchView request(BulkAction action, List<UUID> unitIds, TenantScope scope, String actor) {
        staffOnly(scope);
        LinkedHashSet<UUID> selected = new LinkedHashSet<>(unitIds == null ? List.of() : unitIds);
        selected.remove(null);
        if (selected.isEmpty()) {
            throw InvalidRequestException.of("unitIds", "select at least one unit", "bulk.none");
        }
        if (selected.size() > MAX_UNITS) {
            throw InvalidRequestException.of("unitIds", "a bulk action takes at most " + MAX_UNITS + " units; "
                    + selected.size() + " were selected", "bulk.too-many", String.valueOf(MAX_UNITS),
                    String.valueOf(selected.size()));
        }
        UUID batch = UUID.randomUUID();
        jdbc.sql("insert into job_batch (id, action, created_by) values (:id, :action, :by)")
                .param("id", batch).param("action", action.name()).param("by", actor).update();
        int position = 0;
        for (UUID unitId : selected) {
            Outcome outcome = queue(action, unitId, scope, actor);
            jdbc.sql("""
                    insert into job_batch_item (batch_id, position, unit_id, unit_label, job_id, skipped_reason)
                    values (:batch, :pos, :unit, :label, :job, :reason)""")
                    .param("batch", batch).param("pos", position++).param("unit", unitId).param("label", outcome.label())
                    .param("job", outcome.jobId()).param("reason", outcome.skipped()).update();
        }
        return find(batch, scope);
    }

    @StaffOnly
    public BatchView find(UUID batchId, TenantScope scope) {
        staffOnly(scope);
        record Head(BulkAction action, String by, Timestamp at) {
        }
        Head head = jdbc.sql("select action, created_by, created_at from job_batch where id = :id").param("id", batchId)
                .query((rs, n) -> new Head(BulkAction.valueOf(rs.getString(1)), rs.getString(2), rs.getTimestamp(3)))
                .optional().orElseThrow(() -> NotFoundException.of("batch", batchId));
        List<BatchView.Item> items = jdbc.sql("""
                select i.unit_id, i.unit_label, i.job_id, j.state, i.skipped_reason
                  from job_batch_item i left join provisioning_job j on j.id = i.job_id
                 where i.batch_id = :id order by i.position""").param("id", batchId)
                .query((rs, n) -> new BatchView.Item(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getString(4) == null ? null : JobState.valueOf(rs.getString(4)),
                        rs.getString(5)))
                .list();
        return new BatchView(batchId, head.action(), head.by(), head.at().toInstant(), items);
    }

    private record Outcome(String label, UUID jobId, String skipped) {
    }

    private Outcome queue(BulkAction action, UUID unitId, TenantScope scope, String actor) {
        UnitView unit;
        try {
            unit = units.find(unitId, scope);
        } catch (NotFoundException e) {
            return new Outcome(unitId.toString(), null, "no such unit");
        }
        try {
            JobView job;
            if (action.unitAction().isPresent()) {
                UnitAction single = action.unitAction().get();
                if (!single.appliesTo(unit.kind()) || !single.offeredIn(unit.state())) {
                    return new Outcome(unit.domain(), null, unit.domainUnicode() + " is "
                            + unit.state().name().toLowerCase(Locale.ROOT) + ": nothing to " + action.slug());
                }
                job = actions.requestAction(unitId, single, scope, actor);
            } else {
                job = backups.requestBackup(unitId, scope, actor);
            }
            return new Outcome(unit.domain(), job.id(), null);
        } catch (InvalidRequestException e) {
            return new Outcome(unit.domain(), null, String.join("; ", e.errors().values()));
        } catch (DataIntegrityViolationException e) {
            // Another request queued a job for the unit between the check and the insert.
            return new Outcome(unit.domain(), null, unit.domainUnicode() + " has a job in progress; wait for it to end");
        }
    }

    private static void staffOnly(TenantScope scope) {
        if (!scope.isStaff()) {
            throw new AccessDeniedException("bulk actions are staff work");
        }
    }
}
