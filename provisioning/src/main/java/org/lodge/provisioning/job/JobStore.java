package org.lodge.provisioning.job;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.LogLine;
import org.lodge.provisioning.Phrase;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The job table's state machine in SQL: short transactions for claims, transitions, heartbeats
 * and log lines, so work never happens inside a transaction.
 */
@Component
public class JobStore {

    private final JdbcClient jdbc;
    private final UnitEvents unitEvents;

    public JobStore(JdbcClient jdbc, UnitEvents unitEvents) {
        this.jdbc = jdbc;
        this.unitEvents = unitEvents;
    }

    /**
     * Progress writes (log lines, current step, a step's note of its unit's state) commit without
     * waiting for the WAL flush: they are visible at once, and a database crash can lose only the
     * last few of them, never a state transition, a claim or a reservation, which keep synchronous
     * commits. A job's final transition flushes the WAL up to itself, so whatever its steps wrote
     * before it is durable when its OK or KO is; a job whose relaxed writes were lost was not ended
     * yet, and its revived attempt redoes them. Each is a single statement in its own transaction
     * that sets this for itself ({@code set_config(..., true)} lasts until that commit): one round
     * trip instead of begin, set, write and commit. Inside a caller's transaction (e.g. enqueueing)
     * it keeps the caller's setting: that commit must stay synchronous. Bind {@code :relaxed} to
     * {@link #relaxable()}.
     */
    public static final String RELAXED_COMMIT = "set_config('synchronous_commit', case when :relaxed then 'off'"
            + " else current_setting('synchronous_commit') end, true) is not null";

    public static boolean relaxable() {
        return !TransactionSynchronizationManager.isActualTransactionActive();
    }

    /**
     * Claims the oldest due job of this node whose unit has no other job running, and records the
     * transition, in one statement (its own transaction: one round trip, not five), which also
     * returns what the attempt needs of the job.
     * {@code FOR UPDATE SKIP LOCKED} lets several workers poll one table without blocking.
     */
    public Optional<ClaimedJob> claim(String node, String workerId) {
        return jdbc.sql("""
                with next as (
                  select j.id from provisioning_job j
                   where j.node_name = :node and j.state = 'ENQUEUED' and j.next_attempt_at <= now()
                     and not exists (select 1 from provisioning_job o where o.unit_id = j.unit_id
                                        and o.state in ('RUNNING', 'COMPENSATING'))
                   order by j.created_at
                   limit 1
                   for update skip locked),
                claimed as (
                  update provisioning_job p set state = 'RUNNING', claimed_by = :worker, heartbeat_at = now(),
                         attempts = attempts + 1, started_at = coalesce(started_at, now()), version = version + 1
                    from next where p.id = next.id
                  returning p.id, p.kind, p.attempts, p.compensate_only, p.unit_id, p.params),
                noted as (
                  insert into job_transition (job_id, from_state, to_state, reason)
                  select id, 'ENQUEUED', 'RUNNING', :reason from claimed)
                select * from claimed""")
                .param("node", node).param("worker", workerId).param("reason", abbreviate("claimed by " + workerId, 500))
                .query((rs, n) -> new ClaimedJob(rs.getObject("id", UUID.class), JobKind.valueOf(rs.getString("kind")),
                        rs.getInt("attempts"), rs.getBoolean("compensate_only"), rs.getObject("unit_id", UUID.class),
                        rs.getString("params")))
                .optional();
    }

    @Transactional
    public void transition(UUID jobId, JobState from, JobState to, String reason) {
        if (!transitionIf(jobId, null, from, to, reason)) {
            throw new IllegalStateException("job " + jobId + " is no longer " + from);
        }
    }

    /**
     * A worker's transition of its own attempt: false, and nothing changed, when the job was
     * revived meanwhile (its heartbeat looked stopped) and a newer attempt owns it now.
     */
    @Transactional
    public boolean transitionAttempt(UUID jobId, int attempt, JobState from, JobState to, String reason) {
        return transitionIf(jobId, attempt, from, to, reason);
    }

    private boolean transitionIf(UUID jobId, Integer attempt, JobState from, JobState to, String reason) {
        // The change and its transition row in one statement: one round trip.
        var update = jdbc.sql("with moved as (update provisioning_job set state = :to, version = version + 1,"
                        + " finished_at = case when :final then now() else finished_at end"
                        + " where id = :id and state = :from" + (attempt == null ? "" : " and attempts = :attempt")
                        + " returning id) " + INSERT_TRANSITION + " select id, :from, :to, :reason from moved")
                .param("to", to.name()).param("final", to.isFinal()).param("id", jobId).param("from", from.name())
                .param("reason", abbreviate(reason, 500));
        int updated = (attempt == null ? update : update.param("attempt", attempt)).update();
        if (updated != 1) {
            return false;
        }
        if (to == JobState.OK) {
            unitEvents.jobSucceeded(jobId);
        }
        return true;
    }

    /**
     * A new job's first transition and first log line, and its node's worker woken when the
     * enqueuing transaction commits (PostgreSQL NOTIFY): one statement, in the caller's transaction.
     */
    public void announceEnqueued(UUID jobId, String node, String reason, Phrase line) {
        jdbc.sql("with noted as (" + INSERT_TRANSITION + " values (:id, null, 'ENQUEUED', :reason)),"
                        + " line as (" + LOG_PHRASE + ") select pg_notify(:channel, :node)")
                .paramSource(JobLogWriter.Line.of(jobId, "engine", "INFO", line).params(relaxable())
                        .addValue("reason", abbreviate(reason, 500)).addValue("channel", JobWakeup.CHANNEL)
                        .addValue("node", node))
                .query().listOfRows();
    }

    private void recordTransition(UUID jobId, JobState from, JobState to, String reason) {
        jdbc.sql(INSERT_TRANSITION + " values (:id, :from, :to, :reason)")
                .param("id", jobId).param("from", from.name()).param("to", to.name())
                .param("reason", abbreviate(reason, 500)).update();
    }

    private static final String INSERT_TRANSITION = "insert into job_transition (job_id, from_state, to_state, reason)";

    /**
     * Records the step an attempt enters. False when that attempt no longer owns the job (it was
     * revived and claimed again), so the older attempt stops instead of running beside the newer.
     */
    public boolean enterStep(UUID jobId, int attempt, String step) {
        return jdbc.sql("update provisioning_job set current_step = :step"
                        + " where id = :id and attempts = :attempt and state = 'RUNNING' and " + RELAXED_COMMIT)
                .param("step", step).param("id", jobId).param("attempt", attempt).param("relaxed", relaxable())
                .update() == 1;
    }

    static final String LOG_PHRASE = "insert into job_log (job_id, step, level, message, code, args, detail)"
            + " select :id, :logStep, :level, :message, :code, cast(:args as jsonb), :detail where " + RELAXED_COMMIT;

    public void lastError(UUID jobId, String error) {
        jdbc.sql("update provisioning_job set last_error = :error where id = :id")
                .param("error", error).param("id", jobId).update();
    }

    public void log(UUID jobId, String step, String level, String message) {
        jdbc.sql(LOG_PHRASE).paramSource(JobLogWriter.Line.of(jobId, step, level, message).params(relaxable())).update();
    }

    /** A line with its code and arguments beside the English text (rendered by the reader's page). */
    public void log(UUID jobId, String step, String level, Phrase phrase) {
        jdbc.sql(LOG_PHRASE).paramSource(JobLogWriter.Line.of(jobId, step, level, phrase).params(relaxable())).update();
    }

    public List<LogLine> logAfter(UUID jobId, long afterId) {
        return jdbc.sql("select id, at, step, level, message, code, args, detail from job_log"
                        + " where job_id = :id and id > :after order by id")
                .param("id", jobId).param("after", afterId)
                .query((rs, n) -> new LogLine(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        rs.getString("step"), rs.getString("level"), rs.getString("message"), phrase(rs)))
                .list();
    }

    private static Phrase phrase(java.sql.ResultSet rs) throws java.sql.SQLException {
        String code = rs.getString("code");
        return code == null ? null
                : new Phrase(code, Phrase.argsOf(rs.getString("args")), null, rs.getString("detail"));
    }

    /**
     * Beats for the jobs this worker holds and answers which attempts they are at: an attempt of
     * this worker that is not among them lost its job (revived, perhaps claimed again).
     */
    Set<RunningAttempts.Held> heartbeat(String workerId) {
        return Set.copyOf(jdbc.sql("update provisioning_job set heartbeat_at = now() where claimed_by = :worker"
                        + " and state in ('RUNNING', 'COMPENSATING') returning id, attempts")
                .param("worker", workerId)
                .query((rs, n) -> new RunningAttempts.Held(rs.getObject("id", UUID.class), rs.getInt("attempts")))
                .list());
    }

    /**
     * Hands the jobs of a dead worker back to the queue: resumed from the start (steps are
     * idempotent) while attempts remain, otherwise only compensated.
     */
    @Transactional
    public List<UUID> reviveStale(Duration staleAfter) {
        List<UUID> stale = jdbc.sql("""
                select id from provisioning_job
                 where state in ('RUNNING', 'COMPENSATING') and heartbeat_at < :limit
                 for update skip locked""")
                .param("limit", Timestamp.from(Instant.now().minus(staleAfter))).query(UUID.class).list();
        for (UUID id : stale) {
            String from = jdbc.sql("select state from provisioning_job where id = :id").param("id", id)
                    .query(String.class).single();
            jdbc.sql("""
                    update provisioning_job set state = 'ENQUEUED', claimed_by = null, next_attempt_at = now(),
                           compensate_only = compensate_only or state = 'COMPENSATING' or attempts >= max_attempts,
                           version = version + 1
                     where id = :id""").param("id", id).update();
            recordTransition(id, JobState.valueOf(from), JobState.ENQUEUED, "worker stopped beating; job revived");
            log(id, "engine", "WARN", JobWords.REVIVED.with());
        }
        return stale;
    }

    /**
     * Ends jobs no worker ever took (their node is gone or down): KO, and a creation's
     * reservation is given back, since nothing was done on any node yet.
     */
    @Transactional
    public List<UUID> expireUnclaimed(Duration queueTimeout) {
        List<UUID> expired = jdbc.sql("""
                select id from provisioning_job
                 where state = 'ENQUEUED' and attempts = 0 and created_at < :limit
                 for update skip locked""")
                .param("limit", Timestamp.from(Instant.now().minus(queueTimeout))).query(UUID.class).list();
        for (UUID id : expired) {
            jdbc.sql("""
                    delete from unit j using provisioning_job p
                     where p.id = :id and p.kind in ('CREATE_JAIL', 'CREATE_VM', 'CLONE_VM', 'RESTORE_NEW_JAIL', 'RESTORE_NEW_VM') and j.id = p.unit_id and j.state = 'PROVISIONING'""")
                    .param("id", id).update();
            String reason = "no worker took the job within " + queueTimeout.toMinutes() + " min (is the node's worker running?)";
            jdbc.sql("update provisioning_job set last_error = :reason where id = :id").param("reason", reason)
                    .param("id", id).update();
            log(id, "engine", "ERROR", JobWords.NOT_TAKEN.with(queueTimeout.toMinutes()));
            transition(id, JobState.ENQUEUED, JobState.KO, reason);
        }
        return expired;
    }

    /** Forgets FTP passwords nobody came to read: a clear password must not wait forever. */
    public int forgetUnrevealedSecrets(Duration ttl) {
        return jdbc.sql("delete from job_secret where created_at < :limit")
                .param("limit", Timestamp.from(Instant.now().minus(ttl))).update();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
