package org.lodge.provisioning.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.lodge.provisioning.BackupFolderView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The file index of a jail backup's web root in PostgreSQL (migration V41), so the portal can show
 * the backup folder by folder without restic: one row per folder holding its direct children as
 * gzip-compressed JSON. A folder is one primary-key read, whatever the size of the site.
 */
@Component
public class BackupFileIndex {

    private static final Comparator<Child> FOLDERS_FIRST = Comparator.comparing((Child c) -> !"dir".equals(c.type()))
            .thenComparing(Child::name);

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public BackupFileIndex(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.tx = tx;
        this.json = json;
    }

    /** A child as stored: short keys, mtime in epoch seconds (null when restic has none). */
    record Child(@JsonProperty("n") String name, @JsonProperty("t") String type, @JsonProperty("s") long size,
                 @JsonProperty("m") Long mtime) {
    }

    /** What an index holds and takes in the database (its compressed folders). */
    public record Stored(int folders, int entries, long bytes, long indexBytes) {
    }

    /** Stores the index of the entries under {@code webRoot} (absolute in the snapshot), replacing any earlier one. */
    public Stored store(UUID backupId, UUID tenantId, String webRoot, List<ResticRepository.Entry> listed) {
        Map<String, List<Child>> folders = folders(webRoot, listed);
        List<Object[]> rows = new ArrayList<>();
        long indexBytes = 0;
        for (Map.Entry<String, List<Child>> folder : folders.entrySet()) {
            folder.getValue().sort(FOLDERS_FIRST);
            byte[] children = compress(folder.getValue());
            indexBytes += children.length;
            rows.add(new Object[] {backupId, folder.getKey(), children});
        }
        int entries = folders.values().stream().mapToInt(List::size).sum();
        long bytes = listed.stream().filter(e -> "file".equals(e.type())).mapToLong(ResticRepository.Entry::size).sum();
        Stored stored = new Stored(folders.size(), entries, bytes, indexBytes);
        tx.executeWithoutResult(status -> {
            delete(backupId);
            jdbc.sql("insert into backup_file_index (backup_id, tenant_id, folders, entries, bytes, index_bytes)"
                            + " values (:b, :t, :f, :e, :s, :i)")
                    .param("b", backupId).param("t", tenantId).param("f", stored.folders()).param("e", entries)
                    .param("s", bytes).param("i", stored.indexBytes()).update();
            batch.batchUpdate("insert into backup_file_folder (backup_id, path, children) values (?, ?, ?)", rows);
        });
        return stored;
    }

    /**
     * Backup {@code to} holds the same files as backup {@code from} (the same tree or snapshot):
     * its index is a copy of {@code from}'s, made in the database. Empty when {@code from} has none.
     */
    public Optional<Stored> copy(UUID from, UUID to) {
        return tx.execute(status -> {
            delete(to);
            if (jdbc.sql("insert into backup_file_index (backup_id, tenant_id, folders, entries, bytes, index_bytes)"
                            + " select :to, tenant_id, folders, entries, bytes, index_bytes from backup_file_index"
                            + " where backup_id = :from").param("to", to).param("from", from).update() == 0) {
                return Optional.<Stored>empty();
            }
            jdbc.sql("insert into backup_file_folder (backup_id, path, children) select :to, path, children"
                    + " from backup_file_folder where backup_id = :from").param("to", to).param("from", from).update();
            return jdbc.sql("select folders, entries, bytes, index_bytes from backup_file_index where backup_id = :to")
                    .param("to", to).query((rs, n) -> new Stored(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)))
                    .optional();
        });
    }

    public boolean exists(UUID backupId) {
        return jdbc.sql("select count(*) from backup_file_index where backup_id = :b").param("b", backupId)
                .query(Long.class).single() > 0;
    }

    /** The folder's children (folders first), or empty when the index has no such folder. {@code path} is relative, "." the web root. */
    public Optional<List<BackupFolderView.Entry>> folder(UUID backupId, String path) {
        String key = ".".equals(path) ? "" : path;
        return jdbc.sql("select children from backup_file_folder where backup_id = :b and path = :p")
                .param("b", backupId).param("p", key).query(byte[].class).optional()
                .map(bytes -> decompress(bytes).stream().map(c -> new BackupFolderView.Entry(c.name(),
                        key.isEmpty() ? c.name() : key + "/" + c.name(), c.type(), c.size(),
                        c.mtime() == null ? null : Instant.ofEpochSecond(c.mtime()))).toList());
    }

    public void delete(UUID backupId) {
        jdbc.sql("delete from backup_file_index where backup_id = :b").param("b", backupId).update();
    }

    /** Each folder under the web root ("" the root itself) with its direct children. */
    static Map<String, List<Child>> folders(String webRoot, List<ResticRepository.Entry> listed) {
        Map<String, List<Child>> folders = new TreeMap<>();
        folders.put("", new ArrayList<>());
        String prefix = webRoot + "/";
        for (ResticRepository.Entry entry : listed) {
            if (!entry.path().startsWith(prefix)) {
                continue;
            }
            String relative = entry.path().substring(prefix.length());
            int slash = relative.lastIndexOf('/');
            String parent = slash < 0 ? "" : relative.substring(0, slash);
            folders.computeIfAbsent(parent, p -> new ArrayList<>()).add(new Child(relative.substring(slash + 1),
                    entry.type(), "file".equals(entry.type()) ? entry.size() : 0,
                    entry.mtime() == null ? null : entry.mtime().getEpochSecond()));
            if ("dir".equals(entry.type())) {
                folders.computeIfAbsent(relative, p -> new ArrayList<>());
            }
        }
        return folders;
    }

    private byte[] compress(List<Child> children) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            json.writeValue(gzip, children);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private List<Child> decompress(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return json.readValue(in, new TypeReference<List<Child>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
