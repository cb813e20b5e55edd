package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A bulk action and, for each selected unit, its job (and where it stands) or why it was skipped. */
public record BatchView(UUID id, BulkAction action, String createdBy, Instant createdAt, List<Item> items) {

    public record Item(UUID unitId, String unitLabel, UUID jobId, JobState state, String skippedReason) {

        public String unitLabelUnicode() {
            return StaffDashboard.unicode(unitLabel);
        }

        public boolean skipped() {
            return jobId == null;
        }
    }

    /** How many jobs are queued, running (or compensating), ended OK, ended KO; and how many units were skipped. */
    public record Summary(long queued, long running, long ok, long ko, long skipped) {

        public boolean finished() {
            return queued == 0 && running == 0;
        }
    }

    public Summary summary() {
        return new Summary(count(JobState.ENQUEUED), count(JobState.RUNNING) + count(JobState.COMPENSATING),
                count(JobState.OK), count(JobState.KO), items.stream().filter(Item::skipped).count());
    }

    private long count(JobState state) {
        return items.stream().filter(i -> i.state() == state).count();
    }
}
