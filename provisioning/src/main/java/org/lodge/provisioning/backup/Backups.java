package org.lodge.provisioning.backup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lodge.provisioning.Phrase;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code backup} table: written by the backup steps, read by the API. One row per backup job. */
@Component
public class Backups {

    private static final String COLUMNS = "id, unit_id, unit_domain, taken_at, snapshot_id, files, size_bytes,"
            + " added_bytes, freeze_ms, verified, protected, outcome, reason, reason_code, reason_args";

    /** Sets a KO backup's reason: its English words (at most 500 characters) and its code and arguments. */
    static final String REASON = "reason = :r, reason_code = :code, reason_args = cast(:args as jsonb)";

    static java.util.Map<String, Object> reasonParams(Phrase reason) {
        String words = reason.words();
        return java.util.Map.of("r", words.length() > 500 ? words.substring(0, 499) + "…" : words, "code", reason.code(),
                "args", reason.argsJson());
    }

    private final JdbcClient jdbc;

    public Backups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The row of a backup job, RUNNING, made once (a revived job finds its own). */
    public void begin(UUID jobId, UnitEntity unit, String repository, Instant takenAt) {
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome, uid_base)"
                        + " values (:id, :t, :u, :d, :n, :r, :at, 'RUNNING', :b) on conflict (id) do nothing")
                .param("id", jobId).param("t", unit.tenantId()).param("u", unit.id()).param("d", unit.domain())
                .param("b", unit.uidBase())
                .param("n", unit.nodeName()).param("r", repository).param("at", Timestamp.from(takenAt)).update();
    }

    public void frozen(UUID jobId, long freezeMs) {
        jdbc.sql("update backup set freeze_ms = :f where id = :id").param("f", freezeMs).param("id", jobId).update();
    }

    /** The jail's mounted filesystem and its write counter at the freeze ({@link JailWrites}); null: unknown. */
    public void writesAtFreeze(UUID jobId, JailWrites.Mark mark) {
        jdbc.sql("update backup set mount_identity = :m, write_kbytes = :w where id = :id")
                .param("m", mark == null ? null : mark.identity()).param("w", mark == null ? null : mark.writeKbytes())
                .param("id", jobId).update();
    }

    /** {@code tree}: the snapshot's root tree when it was asked for (an unchanged backup), else null. */
    public void taken(UUID jobId, ResticRepository.Summary summary, String tree) {
        jdbc.sql("update backup set snapshot_id = :s, files = :f, size_bytes = :b, added_bytes = :a,"
                        + " unchanged_from = :p, tree_id = :tree, outcome = 'UNVERIFIED' where id = :id")
                .param("p", summary.unchangedFrom()).param("s", summary.snapshotId()).param("f", summary.totalFiles()).param("b", summary.totalBytes())
                .param("a", summary.dataAdded()).param("tree", tree).param("id", jobId).update();
    }

    /**
     * A verified backup of the unit, as another backup's proof stands on it: when it was taken and
     * verified, and the mounted filesystem and write counter at its freeze (null for a VM's or a
     * stopped jail's).
     */
    public record Verified(UUID id, String snapshotId, Instant takenAt, Instant verifiedAt, String mountIdentity,
                           Long writeKbytes) {
    }

    private static final String VERIFIED = "select id, snapshot_id, taken_at, verified_at, mount_identity, write_kbytes"
            + " from backup where unit_id = :u and outcome = 'OK' and verified and snapshot_id is not null";

    private static Verified verifiedRow(ResultSet rs, int row) throws SQLException {
        return new Verified(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getString(5), (Long) rs.getObject(6));
    }

    /** The unit's verified backup (the most recently verified) of snapshot {@code snapshotId}, if any is left. */
    public Optional<Verified> verifiedOf(UUID unitId, String snapshotId) {
        return jdbc.sql(VERIFIED + " and snapshot_id = :s order by verified_at desc nulls last limit 1")
                .param("u", unitId).param("s", snapshotId).query(Backups::verifiedRow).optional();
    }

    /**
     * The unit's last backup in the repository before job {@code jobId} (the same as
     * {@link #lastSnapshot}), if it is verified: what a backup with nothing written since stands on.
     */
    public Optional<Verified> lastIfVerified(UUID unitId, String repository, UUID jobId) {
        return jdbc.sql("select id, snapshot_id, taken_at, verified_at, mount_identity, write_kbytes, verified"
                        + " from backup where unit_id = :u and repository = :r and id <> :j"
                        + " and snapshot_id is not null and outcome in ('OK', 'UNVERIFIED') order by taken_at desc limit 1")
                .param("u", unitId).param("r", repository).param("j", jobId)
                .query((rs, n) -> rs.getBoolean(7) ? Optional.of(verifiedRow(rs, n)) : Optional.<Verified>empty())
                .optional().flatMap(o -> o);
    }

    /** Backup {@code jobId} proven by the identity of its content with verified backup {@code by}. */
    public void markVerifiedBy(UUID jobId, UUID by) {
        jdbc.sql("update backup set verified = true, verified_at = now(), verified_by = :by, outcome = 'OK',"
                + " reason = null where id = :id").param("by", by).param("id", jobId).update();
    }

    /**
     * Backup {@code jobId} of a jail nothing was written to since backup {@code of}: the same
     * snapshot, files, size, tree and write mark, nothing added, verified by it.
     */
    public void nothingWrittenSince(UUID jobId, UUID of) {
        jdbc.sql("""
                update backup b set snapshot_id = p.snapshot_id, files = p.files, size_bytes = p.size_bytes,
                       added_bytes = 0, tree_id = p.tree_id, unchanged_from = p.snapshot_id,
                       mount_identity = p.mount_identity, write_kbytes = p.write_kbytes, nothing_written = true,
                       verified = true, verified_at = now(), verified_by = p.id, outcome = 'OK', reason = null
                from backup p where b.id = :id and p.id = :of""").param("id", jobId).param("of", of).update();
    }

    /** True when backup {@code backupId} ran no freeze and no restic ({@link #nothingWrittenSince}). */
    public boolean nothingWritten(UUID backupId) {
        return jdbc.sql("select nothing_written from backup where id = :id").param("id", backupId)
                .query(Boolean.class).optional().orElse(false);
    }

    /** The backup whose test restore stands for backup {@code backupId}, if one does. */
    public Optional<UUID> verifiedBy(UUID backupId) {
        return jdbc.sql("select verified_by from backup where id = :id").param("id", backupId)
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, UUID.class))).optional().flatMap(o -> o);
    }

    /** Of the snapshots {@code snapshotIds}, those a backup row other than {@code except} still names. */
    public Set<String> stillNamed(List<String> snapshotIds, List<UUID> except) {
        return new HashSet<>(jdbc.sql("select distinct snapshot_id from backup where snapshot_id = any(:s)"
                        + " and id <> all(:e)")
                .param("s", snapshotIds.toArray(String[]::new)).param("e", except.toArray(UUID[]::new))
                .query(String.class).list());
    }

    /**
     * The snapshot of the unit's newest backup in {@code repository} before job {@code jobId}
     * that still counts (taken, not KO): the parent the next backup is compared with.
     */
    public Optional<String> lastSnapshot(UUID unitId, String repository, UUID jobId) {
        return jdbc.sql("select snapshot_id from backup where unit_id = :u and repository = :r and id <> :j"
                        + " and snapshot_id is not null and outcome in ('OK', 'UNVERIFIED')"
                        + " order by taken_at desc limit 1")
                .param("u", unitId).param("r", repository).param("j", jobId).query(String.class).optional();
    }

    /** The snapshot backup {@code backupId} was found unchanged against (same tree), if it was. */
    public Optional<String> unchangedFrom(UUID backupId) {
        return jdbc.sql("select unchanged_from from backup where id = :id").param("id", backupId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o);
    }

    public void verified(UUID jobId) {
        jdbc.sql("update backup set verified = true, verified_at = now(), outcome = 'OK', reason = null where id = :id")
                .param("id", jobId).update();
    }

    /**
     * Marks a backup KO with the step that failed (from its job's last error). Only the step's
     * name: the error itself may hold host paths and stays in the staff's view of the job log.
     */
    public void failed(UUID jobId) {
        String step = jdbc.sql("select last_error from provisioning_job where id = :id").param("id", jobId)
                .query(String.class).optional().map(e -> e.split(":", 2)[0]).orElse("the job");
        // A step that refused the backup (quota, size) already wrote the reason, for everyone to read.
        Phrase reason = BackupReason.FAILED_IN_STEP.with(step);
        jdbc.sql("update backup set verified = false, outcome = 'KO', reason = coalesce(reason, :r),"
                        + " reason_code = case when reason is null then :code else reason_code end,"
                        + " reason_args = case when reason is null then cast(:args as jsonb) else reason_args end where id = :id")
                .param("r", reason.words()).param("code", reason.code()).param("args", reason.argsJson())
                .param("id", jobId).update();
    }

    /** The unit's finished backups with a snapshot, as retention weighs them. */
    public List<BackupRetention.Candidate> retentionCandidates(UUID unitId) {
        return jdbc.sql("select id, taken_at, verified, protected from backup where unit_id = :u"
                        + " and snapshot_id is not null and outcome in ('OK', 'UNVERIFIED')")
                .param("u", unitId)
                .query((rs, n) -> new BackupRetention.Candidate(rs.getObject(1, UUID.class),
                        rs.getTimestamp(2).toInstant(), rs.getBoolean(3), rs.getBoolean(4)))
                .list();
    }

    /** Forgets the rows of backups whose snapshots left the repository. */
    public void removed(List<UUID> backupIds) {
        jdbc.sql("delete from backup where id = any(:ids)").param("ids", backupIds.toArray(UUID[]::new)).update();
    }

    /** The unit is gone: its backups start the wait of {@code keep-after-deletion}. */
    public void unitDeleted(UUID unitId, Instant at) {
        jdbc.sql("update backup set unit_deleted_at = :at where unit_id = :u and unit_deleted_at is null")
                .param("at", Timestamp.from(at)).param("u", unitId).update();
    }

    /** Backups on the node of units deleted before {@code before}, not protected: what expiry removes. */
    public List<BackupView> expired(String node, Instant before) {
        return jdbc.sql("select " + COLUMNS + " from backup where node_name = :n and unit_deleted_at < :before"
                        + " and not protected order by unit_id, taken_at")
                .param("n", node).param("before", Timestamp.from(before)).query(Backups::view).list();
    }

    /** The verified backups taken on the node, newest first: what its re-verification restores again. */
    public List<BackupView> verifiedOnNode(String node) {
        return jdbc.sql("select " + COLUMNS + " from backup where node_name = :n and verified and snapshot_id is not null"
                + " order by taken_at desc").param("n", node).query(Backups::view).list();
    }

    /** The node's verified jail backups without a file index, each with its tenant: what re-verification indexes. */
    public java.util.Map<UUID, UUID> unindexedJailBackups(String node) {
        java.util.Map<UUID, UUID> found = new java.util.HashMap<>();
        jdbc.sql("select b.id, b.tenant_id from backup b where b.node_name = :n and b.verified and b.unit_kind = 'JAIL'"
                        + " and b.snapshot_id is not null"
                        + " and not exists (select 1 from backup_file_index i where i.backup_id = b.id)")
                .param("n", node).query((rs, n) -> found.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        return found;
    }

    public void reverified(UUID backupId) {
        jdbc.sql("update backup set verified_at = now() where id = :id").param("id", backupId).update();
    }

    /** A backup that no longer restores: KO, not counted as good by retention, shown as a failure. */
    public void failedReverification(UUID backupId, Phrase reason) {
        jdbc.sql("update backup set verified = false, outcome = 'KO', " + REASON + " where id = :id")
                .params(reasonParams(reason)).param("id", backupId).update();
    }

    /** A protected backup is never pruned. False when there is no such backup. */
    public boolean protect(UUID backupId, boolean protect) {
        return jdbc.sql("update backup set protected = :p where id = :id").param("p", protect).param("id", backupId)
                .update() == 1;
    }

    /** Whose unit a backup was of, and where it lives (the node's repository). */
    public record Origin(UUID tenantId, String nodeName, UUID unitId, String unitDomain, Long uidBase) {
    }

    public Optional<Origin> origin(UUID backupId) {
        return jdbc.sql("select tenant_id, node_name, unit_id, unit_domain, uid_base from backup where id = :id")
                .param("id", backupId)
                .query((rs, n) -> new Origin(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), (Long) rs.getObject(5)))
                .optional();
    }

    public Optional<BackupView> find(UUID backupId) {
        return jdbc.sql("select " + COLUMNS + " from backup where id = :id").param("id", backupId)
                .query(Backups::view).optional();
    }

    /** Newest first. */
    public List<BackupView> ofUnit(UUID unitId) {
        return jdbc.sql("select " + COLUMNS + " from backup where unit_id = :u order by taken_at desc")
                .param("u", unitId).query(Backups::view).list();
    }

    /** Every backup, failures first, then newest first: the staff's page. */
    public List<BackupView> all(int limit) {
        return jdbc.sql("select " + COLUMNS + " from backup order by (outcome = 'KO') desc, taken_at desc limit :n")
                .param("n", limit).query(Backups::view).list();
    }

    private static BackupView view(ResultSet rs, int row) throws SQLException {
        return new BackupView(rs.getObject("id", UUID.class), rs.getObject("unit_id", UUID.class),
                rs.getString("unit_domain"), rs.getTimestamp("taken_at").toInstant(), rs.getString("snapshot_id"),
                (Long) rs.getObject("files"), (Long) rs.getObject("size_bytes"), (Long) rs.getObject("added_bytes"),
                (Integer) rs.getObject("freeze_ms"), rs.getBoolean("verified"), rs.getBoolean("protected"),
                rs.getString("outcome"), rs.getString("reason"),
                Phrase.stored(rs.getString("reason_code"), rs.getString("reason_args"), rs.getString("reason")));
    }
}
