package org.lodge.provisioning.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.lodge.provisioning.SecretFile;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Output;
import org.lodge.provisioning.host.HostCommands.Program;
import org.springframework.stereotype.Component;

/**
 * The node's restic repository: created on first use, its password in a root-only file that
 * restic reads itself ({@code --password-file}: the password is never in an argument, the
 * environment or the database). Every call goes through the allow-listed executor as an argument
 * list; results are read from restic's {@code --json} output with Jackson. restic 0.14 (Debian 12)
 * fails at once, without waiting, on a repository another restic locked exclusively, and
 * {@code check}, {@code forget} and {@code prune} lock it so: this node's worker therefore takes a
 * read lock of its own around backups and restores and the write lock around those three.
 */
@Component
public class ResticRepository {

    private static final Duration SHORT = Duration.ofMinutes(2);

    private final HostCommands commands;
    private final BackupProperties props;
    private final ObjectMapper json;
    private final ResticOptions options;
    private final ReadWriteLock use = new ReentrantReadWriteLock(true);
    private volatile boolean ready;

    @org.springframework.beans.factory.annotation.Autowired
    public ResticRepository(HostCommands commands, BackupProperties props, ObjectMapper json, ResticOptions options) {
        this.commands = commands;
        this.props = props;
        this.json = json;
        this.options = options;
    }

    /** With restic's own backup options. */
    public ResticRepository(HostCommands commands, BackupProperties props, ObjectMapper json) {
        this(commands, props, json, ResticOptions.DEFAULTS);
    }

    /**
     * What {@code restic backup --json} reports at its end. {@code unchangedFrom}: the parent
     * snapshot named to restic when no file or folder was new or changed against it (the new
     * snapshot's tree is the parent's, so it references the same blobs); null otherwise.
     */
    public record Summary(String snapshotId, long filesNew, long filesChanged, long filesUnmodified,
                          long totalFiles, long totalBytes, long dataAdded, double seconds, String unchangedFrom) {

        /** The same, not unchanged against any parent. */
        Summary changed() {
            return new Summary(snapshotId, filesNew, filesChanged, filesUnmodified, totalFiles, totalBytes, dataAdded,
                    seconds, null);
        }
    }

    /** The tag every snapshot of the unit carries. */
    public static String unitTag(java.util.UUID unitId) {
        return "lodge-unit=" + unitId;
    }

    public String location() {
        return props.repository();
    }

    /** Creates the password file and the repository unless they exist; true when it made the repository. */
    public synchronized boolean ensureInitialised() throws IOException {
        if (ready) {
            return false;
        }
        Path password = Path.of(props.passwordFile());
        Path dir = password.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        SecretFile.readOrCreate(password, 32);
        boolean created = false;
        if (restic(List.of("cat", "config"), SHORT).exitCode() != 0) {
            Output init = restic(List.of("init"), SHORT);
            // Two workers on one shared repository may race: the loser finds it initialised.
            if (init.exitCode() != 0 && restic(List.of("cat", "config"), SHORT).exitCode() != 0) {
                throw new IllegalStateException("restic init of " + props.repository() + " failed: " + init.stderr());
            }
            created = init.exitCode() == 0;
        }
        ready = true;
        return created;
    }

    /** Backs up the tree under {@code dir}, stored relative to it ("."), tagged for its unit; restic finds the parent. */
    public Summary backup(Path dir, String host, List<String> tags) throws IOException {
        return backup(dir, host, tags, null);
    }

    /**
     * As {@link #backup(Path, String, List)}, compared with snapshot {@code parent} (the unit's
     * last; null: restic searches every snapshot of the repository for one with the same host and
     * path). A parent the repository no longer has is dropped and the backup run again without it.
     * Stale locks are removed only when restic refuses the backup for a lock: on the usual path that
     * costs no restic call of its own (one opening of the repository, ~0.5 s of scrypt, each).
     */
    public Summary backup(Path dir, String host, List<String> tags, String parent) throws IOException {
        ensureInitialised();
        String[] comparedWith = {parent};
        Output out = shared(() -> {
            Output first = runIn(backupArgs(host, tags, parent), props.timeout(), dir);
            if (first.exitCode() == 0) {
                return first;
            }
            String error = first.stderr();
            if (error.contains("locked")) {
                removeStaleLocks();
            } else if (parent != null && error.contains(parent)) {
                comparedWith[0] = null;
            } else {
                return first;
            }
            return runIn(backupArgs(host, tags, comparedWith[0]), props.timeout(), dir);
        });
        JsonNode summary = lastMessage(out, "summary");
        boolean unchanged = summary.path("files_new").asLong() == 0 && summary.path("files_changed").asLong() == 0
                && summary.path("dirs_new").asLong() == 0 && summary.path("dirs_changed").asLong() == 0;
        return new Summary(summary.path("snapshot_id").asText(), summary.path("files_new").asLong(),
                summary.path("files_changed").asLong(), summary.path("files_unmodified").asLong(),
                summary.path("total_files_processed").asLong(), summary.path("total_bytes_processed").asLong(),
                summary.path("data_added").asLong(), summary.path("total_duration").asDouble(),
                unchanged ? comparedWith[0] : null);
    }

    private List<String> backupArgs(String host, List<String> tags, String parent) {
        List<String> args = new ArrayList<>(List.of("backup", "--json", "--host", host, "--one-file-system"));
        // Only when not restic's default: a repository of format 1 refuses any other mode.
        if (!options.compression().equals("auto")) {
            args.addAll(List.of("--compression", options.compression()));
        }
        if (options.packSize() != null) {
            args.addAll(List.of("--pack-size", options.packSize().toString()));
        }
        if (parent != null) {
            args.addAll(List.of("--parent", parent));
        }
        tags.forEach(tag -> args.addAll(List.of("--tag", tag)));
        args.add(".");
        return args;
    }

    /** Restores a snapshot's tree into {@code target} (which exists), owners and modes included (we run as root). */
    public void restore(String snapshotId, Path target) throws IOException {
        restore(snapshotId, target, List.of());
    }

    /** As {@link #restore(String, Path)}, only the paths under {@code includes} (absolute in the snapshot). */
    public void restore(String snapshotId, Path target, List<String> includes) throws IOException {
        ensureInitialised();
        List<String> args = new ArrayList<>(List.of("restore", snapshotId, "--target", target.toString()));
        includes.forEach(path -> args.addAll(List.of("--include", path)));
        shared(() -> checked(args, props.timeout()));
    }

    /**
     * Restores a snapshot into {@code target} and reads every restored file back against the
     * snapshot ({@code restore --verify}); an exception with restic's last message if it cannot.
     */
    public void restoreAndVerify(String snapshotId, Path target) throws IOException {
        ensureInitialised();
        shared(() -> checked(List.of("restore", snapshotId, "--target", target.toString(), "--verify"),
                props.timeout()));
    }

    /** One entry of a snapshot as {@code restic ls --json} lists it: absolute path, type, size (files), mtime. */
    public record Entry(String path, String type, long size, java.time.Instant mtime) {
    }

    /** The entries at and under {@code paths} (absolute in the snapshot; folders to the bottom); a path the snapshot lacks lists nothing. */
    public List<Entry> list(String snapshotId, List<String> paths) throws IOException {
        ensureInitialised();
        List<String> args = new ArrayList<>(List.of("ls", "--json", "--recursive", snapshotId));
        args.addAll(paths);
        Output out = shared(() -> checked(args, props.timeout()));
        List<Entry> entries = new ArrayList<>();
        for (String line : out.stdout().lines().toList()) {
            if (line.startsWith("{")) {
                JsonNode node = json.readTree(line);
                if ("node".equals(node.path("struct_type").asText())) {
                    entries.add(new Entry(node.path("path").asText(), node.path("type").asText(),
                            node.path("size").asLong(), mtime(node.path("mtime").asText())));
                }
            }
        }
        return entries;
    }

    private static java.time.Instant mtime(String text) {
        return text.isEmpty() ? null : java.time.OffsetDateTime.parse(text).toInstant();
    }

    /** {@code restic check --read-data-subset}: the repository's structure and a share of its data; the last line of its report. */
    public String check() throws IOException {
        ensureInitialised();
        Output out = exclusive(() -> checked(List.of("check", "--read-data-subset=" + props.checkSubset()),
                props.timeout()));
        return out.stdout().strip().lines().reduce((first, last) -> last).orElse("");
    }

    /**
     * {@code restic check} without reading data: the index, every pack it names present, every
     * snapshot's trees readable and every blob they reference indexed. What proves that the
     * repository still holds a backup whose content another backup's test restore already proved.
     */
    public void checkStructure() throws IOException {
        ensureInitialised();
        exclusive(() -> checked(List.of("check"), props.timeout()));
    }

    /** The root tree of each snapshot, by the id it was asked with (restic's snapshot JSON carries {@code tree}). */
    public Map<String, String> trees(List<String> snapshotIds) throws IOException {
        ensureInitialised();
        List<String> args = new ArrayList<>(List.of("snapshots", "--json"));
        args.addAll(snapshotIds);
        Map<String, String> trees = new HashMap<>();
        json.readTree(shared(() -> checked(args, SHORT)).stdout()).forEach(snapshot -> snapshotIds.stream()
                .filter(id -> id.equals(snapshot.path("id").asText()) || id.equals(snapshot.path("short_id").asText()))
                .forEach(id -> trees.put(id, snapshot.path("tree").asText())));
        return trees;
    }

    /** The snapshot's full id and its tags, or an exception if the repository does not have it. */
    public JsonNode snapshot(String snapshotId) throws IOException {
        ensureInitialised();
        JsonNode list = json.readTree(shared(() -> checked(List.of("snapshots", "--json", snapshotId), SHORT)).stdout());
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalStateException("snapshot " + snapshotId + " is not in the repository");
        }
        return list.get(0);
    }

    /**
     * Removes the snapshots from the repository and frees the data only they used ({@code forget
     * --prune}). Those already gone are skipped, so a prune interrupted after restic's part can run again.
     */
    public void forget(List<String> snapshotIds, String tag) throws IOException {
        ensureInitialised();
        Set<String> present = new HashSet<>();
        json.readTree(shared(() -> checked(List.of("snapshots", "--json", "--tag", tag), SHORT)).stdout())
                .forEach(snapshot -> {
                    // The backup's summary names a snapshot by its short id (restic 0.14).
                    present.add(snapshot.path("id").asText());
                    present.add(snapshot.path("short_id").asText());
                });
        List<String> args = new ArrayList<>(List.of("forget", "--prune"));
        snapshotIds.stream().filter(present::contains).forEach(args::add);
        if (args.size() > 2) {
            exclusive(() -> checked(args, props.timeout()));
        }
    }

    /**
     * What the snapshots take in the repository, deduplicated among them ({@code restic stats
     * --mode raw-data}): the bytes of the blobs they reference, each counted once. 0 for none.
     */
    public long rawDataSize(List<String> snapshotIds) throws IOException {
        if (snapshotIds.isEmpty()) {
            return 0;
        }
        ensureInitialised();
        List<String> args = new ArrayList<>(List.of("stats", "--json", "--mode", "raw-data"));
        args.addAll(snapshotIds);
        return json.readTree(shared(() -> checked(args, props.timeout())).stdout()).path("total_size").asLong();
    }

    private Output shared(Supplier<Output> call) {
        return locked(use.readLock(), call);
    }

    private Output exclusive(Supplier<Output> call) {
        return locked(use.writeLock(), () -> {
            removeStaleLocks();
            return call.get();
        });
    }

    /**
     * A killed restic (a worker's {@code kill -9}) leaves its lock in the repository, and restic
     * 0.14 refuses exclusive work beside any lock, a backup beside an exclusive one, until it is
     * 30 minutes old. Plain {@code unlock} removes only locks whose process is gone from this host
     * or that nobody refreshed for 30 minutes: never a running restic's, here or on another node.
     */
    private void removeStaleLocks() {
        checked(List.of("unlock"), SHORT);
    }

    private static Output locked(Lock lock, Supplier<Output> call) {
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    private Output checked(List<String> args, Duration timeout) {
        Output out = restic(args, timeout);
        if (out.exitCode() != 0) {
            throw new IllegalStateException("restic " + args.get(0) + " exited with " + out.exitCode() + ": "
                    + out.stderr().lines().reduce((first, last) -> last).orElse(""));
        }
        return out;
    }

    private Output restic(List<String> args, Duration timeout) {
        return runIn(args, timeout, Path.of("/"));
    }

    private Output runIn(List<String> args, Duration timeout, Path dir) {
        List<String> all = new ArrayList<>(List.of("--repo", props.repository(), "--password-file", props.passwordFile(),
                "--cache-dir", props.cacheDir(), "--quiet"));
        all.addAll(args);
        return commands.capture(Program.RESTIC, all, timeout, dir);
    }

    private JsonNode lastMessage(Output out, String type) throws IOException {
        JsonNode found = null;
        for (String line : out.stdout().lines().toList()) {
            if (line.startsWith("{")) {
                JsonNode message = json.readTree(line);
                if (type.equals(message.path("message_type").asText())) {
                    found = message;
                }
            }
        }
        if (out.exitCode() != 0 || found == null) {
            throw new IllegalStateException("restic exited with " + out.exitCode() + " and no " + type + ": "
                    + out.stderr().lines().reduce((first, last) -> last).orElse(""));
        }
        return found;
    }
}
