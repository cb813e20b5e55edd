package org.lodge.provisioning.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.BackupDownloadView;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Download archives in PostgreSQL (migration V36), so the portal, which only talks to the
 * database, can stream them: one row per archive and its bytes in 1 MiB chunks. Written in one
 * transaction (an archive is there whole or not at all); deleted once expired.
 */
@Component
public class BackupDownloads {

    static final int CHUNK = 1 << 20;
    private static final String COLUMNS = "job_id, backup_id, file_name, size_bytes, sha256, created_at, expires_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public BackupDownloads(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Stores the archive for the job's unit, replacing what the job stored before; its SHA-256. */
    public String store(UUID jobId, UnitEntity jail, UUID backupId, String fileName, Path archive, Instant expires)
            throws IOException {
        MessageDigest sha256 = sha256();
        long size = Files.size(archive);
        try (InputStream in = Files.newInputStream(archive)) {
            tx.executeWithoutResult(status -> {
                delete(jobId);
                jdbc.sql("insert into backup_download (job_id, tenant_id, unit_id, backup_id, file_name, size_bytes,"
                                + " sha256, expires_at) values (:j, :t, :u, :b, :f, :s, '', :e)")
                        .param("j", jobId).param("t", jail.tenantId()).param("u", jail.id()).param("b", backupId)
                        .param("f", fileName).param("s", size).param("e", Timestamp.from(expires)).update();
                try {
                    byte[] chunk;
                    for (int seq = 0; (chunk = in.readNBytes(CHUNK)).length > 0; seq++) {
                        sha256.update(chunk);
                        jdbc.sql("insert into backup_download_chunk (job_id, seq, data) values (:j, :n, :d)")
                                .param("j", jobId).param("n", seq).param("d", chunk).update();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                jdbc.sql("update backup_download set sha256 = :h where job_id = :j")
                        .param("h", HexFormat.of().formatHex(sha256.digest())).param("j", jobId).update();
            });
        }
        return find(jobId).orElseThrow().sha256();
    }

    /** The unit's archives not yet expired, newest first. */
    public List<BackupDownloadView> ofUnit(UUID unitId) {
        return jdbc.sql("select " + COLUMNS + " from backup_download where unit_id = :u and expires_at > now()"
                + " order by created_at desc").param("u", unitId).query(BackupDownloads::view).list();
    }

    /** The job's archive and its unit, unless there is none or it expired. */
    public Optional<BackupDownloadView> find(UUID jobId) {
        return jdbc.sql("select " + COLUMNS + " from backup_download where job_id = :j and expires_at > now()")
                .param("j", jobId).query(BackupDownloads::view).optional();
    }

    public Optional<UUID> unitOf(UUID jobId) {
        return jdbc.sql("select unit_id from backup_download where job_id = :j").param("j", jobId).query(UUID.class)
                .optional();
    }

    /** Writes the archive's bytes, one chunk read at a time (never the whole archive in memory). */
    public void writeTo(UUID jobId, OutputStream out) throws IOException {
        int chunks = jdbc.sql("select count(*) from backup_download_chunk where job_id = :j").param("j", jobId)
                .query(Integer.class).single();
        for (int seq = 0; seq < chunks; seq++) {
            out.write(jdbc.sql("select data from backup_download_chunk where job_id = :j and seq = :n")
                    .param("j", jobId).param("n", seq).query(byte[].class).single());
        }
        out.flush();
    }

    public void delete(UUID jobId) {
        jdbc.sql("delete from backup_download where job_id = :j").param("j", jobId).update();
    }

    /** Expired archives leave the database (their chunks with them); hourly, and before each new archive. */
    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    public int purgeExpired() {
        return jdbc.sql("delete from backup_download where expires_at <= now()").update();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BackupDownloadView view(ResultSet rs, int row) throws SQLException {
        return new BackupDownloadView(rs.getObject("job_id", UUID.class), rs.getObject("backup_id", UUID.class),
                rs.getString("file_name"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant());
    }
}
