package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.backup.BackupProperties;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 8's jail benchmark at 1 GiB: a jail (2 GiB disk) holding 1 GiB of mixed files (many
 * small text files, large compressible ones, large incompressible random ones), written into its
 * filesystem through the host's mount. In the same run: {@code tar | zstd -1} of the jail's files,
 * a bare {@code restic backup} of them into fresh repositories (restic's defaults, then the
 * variants Lodge could pass), Lodge's full {@code BACKUP_JAIL}, an unchanged second backup, six
 * days of 5 % change each backed up (7 daily backups), the tenant's repository use after each,
 * and a restore in place ({@code RESTORE_JAIL}) beside a bare {@code restic restore}. Load
 * averages beside every figure (the machine is shared). Writes target/jail-backup-benchmark.md.
 */
@LiveNodeTest
@Tag("bench")
@Tag("worker")
class JailBackupBenchmark {

    /** -Dbench.ip: the jail's IPv4 on the node net (10.231.77.63 by default). */
    private static final String IP = System.getProperty("bench.ip", "10.231.77.63");
    private static final long MIB = 1 << 20;
    /** GiB of data (-Dbench.gib=0.25 while developing; 1 by default). */
    private static final double GIB = Double.parseDouble(System.getProperty("bench.gib", "1"));
    /**
     * -Dbench.quick=true: only Lodge's full backup, the unchanged one (after a restart), the one
     * with nothing written, a bare unchanged one and the restores.
     */
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** At 1 GiB: 256 MiB of small text files, 384 MiB in 6 large text files, 384 MiB in 6 random files. */
    private static final int SMALL_FILES = (int) Math.round(32768 * GIB);
    private static final int LARGE = 6;
    private static final long LARGE_BYTES = Math.max(1, Math.round(64 * GIB)) * MIB;
    private static final double DAILY_CHANGE = 0.05;
    private static final Duration PATIENCE = Duration.ofMinutes(30);
    private static final Pattern STEP = Pattern.compile("\\[([\\w-]+)\\] done in (\\d+) ms");
    private static final Pattern FROZEN = Pattern.compile("filesystem frozen for (\\d+) ms");
    private static final Pattern RESTIC = Pattern.compile("restic snapshot \\w+: \\d+ files, (\\d+) bytes read"
            + " \\(\\d+ new, \\d+ changed, \\d+ unchanged[^)]*\\), (\\d+) bytes added to the repository \\(deduplicated\\),"
            + " in ([\\d.]+) s");
    private static final String[] WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod"
            + " tempor incididunt ut labore et dolore magna aliqua GET POST index.php /var/www/html 200 404 user"
            + " session cookie Mozilla/5.0 2026-11-26T08:00:00Z INFO WARN ERROR hosting lodge jail backup").split(" ");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JailHost jails;
    @Autowired
    BackupProperties backup;

    /** Printed as it grows (a late failure keeps the figures already taken) and written at the end. */
    private final StringBuilder report = new StringBuilder();
    private String tenant;
    private Path password;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void oneGibJailBackupBesideTarZstdAndBareRestic() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        tenant = api.newTenant("jbench");
        password = Files.createTempFile("bench-restic", ".password");
        Files.writeString(password, UUID.randomUUID().toString());
        String domain = "jbench-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String createJob = api.createJail(tenant, "2G", domain, IP);
        JsonNode created = api.awaitEnd(createJob, Duration.ofMinutes(5));
        assertThat(created.path("state").asText()).as(api.log(createJob)).isEqualTo("OK");
        String unit = created.path("unitId").asText();
        // The quota API names the tenant by its id.
        tenant = jdbc.sql("select cast(tenant_id as varchar) from unit where id = cast(:u as uuid)").param("u", unit)
                .query(String.class).single();
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", unit)
                .query(String.class).single();
        Path root = jails.mountPoint(libvirtName);
        Path data = root.resolve("var/www/" + domain + "/data");
        Random random = new Random(8);
        long t0 = System.nanoTime();
        List<Path> small = new ArrayList<>();
        List<Path> large = new ArrayList<>();
        write(data, random, small, large);
        long bytes = sizeOf(data);
        line("%d small text files (1-15 KiB), %d large text files and %d random files of %d MiB: %.1f MiB in"
                + " %s, written in %.1f s (load %s)", SMALL_FILES, LARGE, LARGE, LARGE_BYTES / MIB, bytes / (double) MIB,
                "/var/www/" + domain + "/data", (System.nanoTime() - t0) / 1e9, load());
        long treeBytes = sizeOf(root);
        line("the jail's whole filesystem (what every tool below reads): %.1f MiB", treeBytes / (double) MIB);

        add("\n### Full backup\n\n| run | MiB read | s | MiB/s | output / added MiB | load (1, 5, 15 min) |\n"
                + "|---|---|---|---|---|---|\n");
        if (QUICK) {
            add("\n### Backups of the jail\n\n| backup | frozen | steps (ms) | restic read / added MiB | restic s"
                    + " | job s | tenant's repository use | load |\n|---|---|---|---|---|---|---|---|\n");
            add(figures.get(lodgeBackup(api, unit, "Lodge `BACKUP_JAIL`, full")).row());
            unchangedAndNothingWritten(api, unit, root);
            bareUnchanged(root);
            add("\n### Restore\n\n");
            restore(api, unit, treeBytes);
            api.awaitEnd(api.act(unit, "delete"), Duration.ofMinutes(5));
            report();
            return;
        }
        double tar1 = tarZstd(root, "`tar | zstd -1` (1st)");
        double bare = bareRestic(root, "bare `restic backup` (defaults: compression auto)", List.of());
        String full = lodgeBackup(api, unit, "Lodge `BACKUP_JAIL`, full");
        double tar2 = tarZstd(root, "`tar | zstd -1` (2nd)");
        double off = bareRestic(root, "bare `restic backup --compression off`", List.of("--compression", "off"));
        double pack = bareRestic(root, "bare `restic backup --pack-size 64`", List.of("--pack-size", "64"));
        double lodgeMibs = figures.get(full).mibs();
        double tar = (tar1 + tar2) / 2;
        line("\nRatios to the mean of the two `tar | zstd -1` runs (%.1f MiB/s): Lodge's restic step %.2f×,"
                + " Lodge's capture + restic %.2f×, bare restic %.2f×, bare restic `--compression off` %.2f×,"
                + " `--pack-size 64` %.2f×.", tar, lodgeMibs / tar, figures.get(full).withCaptureMibs() / tar,
                bare / tar, off / tar, pack / tar);

        add("\n### Backups of the jail\n\n| backup | frozen | steps (ms) | restic read / added MiB | restic s"
                + " | job s | tenant's repository use | load |\n|---|---|---|---|---|---|---|---|\n");
        add(figures.get(full).row());
        unchangedAndNothingWritten(api, unit, root);
        bareUnchanged(root);
        for (int day = 2; day <= 7; day++) {
            long changed = change(random, small, large);
            add(figures.get(lodgeBackup(api, unit, String.format(Locale.ROOT, "day %d (%.1f MiB changed)",
                    day, changed / (double) MIB))).row());
        }

        add("\n### Restore\n\n");
        restore(api, unit, treeBytes);
        api.awaitEnd(api.act(unit, "delete"), Duration.ofMinutes(5));

        report();
    }

    private void report() throws IOException {
        Files.delete(password);
        String text = "Jail backup benchmark, " + GIB + " GiB of mixed files\n\n" + report;
        System.out.println(text);
        Files.writeString(Path.of("target", "jail-backup-benchmark.md"), text);
    }

    // ---- the data

    private static void write(Path data, Random random, List<Path> small, List<Path> large) throws IOException {
        for (int dir = 0; dir < 64; dir++) {
            Files.createDirectories(data.resolve("site/d" + dir));
        }
        for (int i = 0; i < SMALL_FILES; i++) {
            Path file = data.resolve("site/d" + (i % 64) + "/f" + i + ".html");
            Files.write(file, text(random, 1024 + random.nextInt(15 * 1024)));
            small.add(file);
        }
        Files.createDirectories(data.resolve("large"));
        for (int i = 0; i < LARGE; i++) {
            large.add(fill(data.resolve("large/log" + i + ".txt"), random, true));
            large.add(fill(data.resolve("large/blob" + i + ".bin"), random, false));
        }
    }

    private static Path fill(Path file, Random random, boolean text) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < LARGE_BYTES; written += MIB) {
                out.write(block(random, text));
            }
        }
        return file;
    }

    private static byte[] block(Random random, boolean text) {
        if (text) {
            return text(random, (int) MIB);
        }
        byte[] b = new byte[(int) MIB];
        random.nextBytes(b);
        return b;
    }

    /** Log-like text: random words, numbers and line breaks (zstd -1 takes it to about a third). */
    private static byte[] text(Random random, int size) {
        StringBuilder s = new StringBuilder(size + 32);
        while (s.length() < size) {
            s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(8) == 0 ? "\n" : " ");
            if (random.nextInt(6) == 0) {
                s.append(random.nextInt(100000)).append(' ');
            }
        }
        s.setLength(size);
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One day: 5 % of the small files rewritten, 5 % of each large file's 1 MiB blocks rewritten in place. */
    private static long change(Random random, List<Path> small, List<Path> large) throws IOException {
        long changed = 0;
        for (int i = 0; i < small.size() * DAILY_CHANGE; i++) {
            Path file = small.get(random.nextInt(small.size()));
            byte[] content = text(random, 1024 + random.nextInt(15 * 1024));
            Files.write(file, content);
            changed += content.length;
        }
        long blocks = LARGE_BYTES / MIB;
        for (Path file : large) {
            boolean text = file.toString().endsWith(".txt");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                for (int i = 0; i < blocks * DAILY_CHANGE; i++) {
                    raf.seek(random.nextInt((int) blocks) * MIB);
                    raf.write(block(random, text));
                    changed += MIB;
                }
            }
        }
        return changed;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    // ---- the references

    private double tarZstd(Path root, String label) throws Exception {
        Path out = Path.of(backup.workDir(), "bench-" + UUID.randomUUID() + ".tar.zst");
        Files.createDirectories(out.getParent());
        String load = load();
        long t0 = System.nanoTime();
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("tar", "--one-file-system", "-cf", "-", "-C", root.toString(), ".")
                        .redirectError(ProcessBuilder.Redirect.INHERIT),
                new ProcessBuilder("zstd", "-1", "-q", "-c").redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)));
        for (Process p : pipeline) {
            assertThat(p.waitFor()).isZero();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long read = sizeOf(root);
        long size = Files.size(out);
        Files.delete(out);
        double mibs = read / (double) MIB / s;
        row(label, read, s, size, load);
        return mibs;
    }

    private double bareRestic(Path root, String label, List<String> options) throws Exception {
        Path repo = Path.of(backup.workDir(), "bench-repo-" + UUID.randomUUID());
        List<String> base = List.of("restic", "--repo", repo.toString(), "--password-file", password.toString(),
                "--cache-dir", backup.cacheDir(), "--quiet");
        run(root, concat(base, List.of("init")));
        String load = load();
        long t0 = System.nanoTime();
        String out = run(root, concat(base, concat(List.of("backup", "--json", "--one-file-system", "--host", "bench"),
                concat(options, List.of(".")))));
        double s = (System.nanoTime() - t0) / 1e9;
        JsonNode summary = null;
        for (String l : out.lines().toList()) {
            if (l.startsWith("{") && l.contains("\"summary\"")) {
                summary = json.readTree(l);
            }
        }
        assertThat(summary).as(out).isNotNull();
        long read = summary.path("total_bytes_processed").asLong();
        row(label, read, s, repoBytes(repo), load);
        deleteTree(repo);
        return read / (double) MIB / s;
    }

    /**
     * The floor of an unchanged backup with restic 0.14 here: a second bare {@code restic backup}
     * of the same files into the same repository (restic finds the first as parent), beside the
     * opening of the repository alone ({@code restic cat config}: its key derivation).
     */
    private void bareUnchanged(Path root) throws Exception {
        Path repo = Path.of(backup.workDir(), "bench-repo-" + UUID.randomUUID());
        List<String> base = List.of("restic", "--repo", repo.toString(), "--password-file", password.toString(),
                "--cache-dir", backup.cacheDir(), "--quiet");
        List<String> backupArgs = concat(base, List.of("backup", "--json", "--one-file-system", "--host", "bench", "."));
        run(root, concat(base, List.of("init")));
        run(root, backupArgs);
        String load = load();
        long t0 = System.nanoTime();
        run(root, concat(base, List.of("cat", "config")));
        double open = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        String out = run(root, backupArgs);
        double s = (System.nanoTime() - t0) / 1e9;
        String summary = out.lines().filter(l -> l.contains("\"summary\"")).findFirst().orElse("");
        line("bare unchanged second `restic backup` of the jail's files: %.2f s; opening the repository alone"
                + " (`restic cat config`): %.2f s (load %s); %s", s, open, load, summary);
        deleteTree(repo);
    }

    private static long repoBytes(Path repo) throws IOException {
        return sizeOf(repo);
    }

    private void row(String label, long read, double s, long output, String load) {
        add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %s |%n", label, read / (double) MIB,
                s, read / (double) MIB / s, output / (double) MIB, load));
    }

    // ---- Lodge's jobs

    private record Figures(String label, long frozenMs, Map<String, Long> steps, long read, long added,
                           double resticS, double jobS, long repoUse, String load) {

        double mibs() {
            return read / (double) MIB / (steps.get("restic-backup") / 1000.0);
        }

        double withCaptureMibs() {
            return read / (double) MIB / ((steps.get("restic-backup") + steps.get("freeze-and-copy")) / 1000.0);
        }

        String row() {
            StringBuilder s = new StringBuilder();
            steps.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
            return String.format(Locale.ROOT, "| %s | %d ms | %s | %.1f / %.1f | %.2f | %.1f | %.1f MiB | %s |%n", label,
                    frozenMs, s, read / (double) MIB, added / (double) MIB, resticS, jobS, repoUse / (double) MIB, load);
        }
    }

    private final Map<String, Figures> figures = new LinkedHashMap<>();
    private int backupsTaken;

    /**
     * The two cheap backups: after a freeze and thaw of the jail's filesystem by hand (its write
     * counter moved, no file changed: restic runs and finds the same tree, verified by identity,
     * no test restore) and right after it (nothing written: no freeze, no restic).
     */
    private void unchangedAndNothingWritten(Api api, String unit, Path root) throws Exception {
        run(Path.of("/"), List.of("fsfreeze", "--freeze", root.toString()));
        run(Path.of("/"), List.of("fsfreeze", "--unfreeze", root.toString()));
        add(figures.get(lodgeBackup(api, unit, "unchanged, 2nd (verified by identity)")).row());
        add(figures.get(lodgeBackup(api, unit, "nothing written, 3rd")).row());
    }

    private String lodgeBackup(Api api, String unit, String label) throws Exception {
        String load = load();
        long t0 = System.nanoTime();
        ResponseEntity<String> asked = api.post("/api/units/" + unit + "/backups", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        String job = api.json(asked).path("id").asText();
        assertThat(api.awaitEnd(job, PATIENCE).path("state").asText()).as(api.log(job)).isEqualTo("OK");
        double jobS = (System.nanoTime() - t0) / 1e9;
        String log = api.log(job);
        System.out.println("[jail-backup-bench] " + label + ":\n" + log);
        backupsTaken++;
        Matcher frozen = FROZEN.matcher(log);
        Matcher restic = RESTIC.matcher(log);
        // A backup with nothing written since the last has neither: no freeze, no restic.
        boolean ran = !log.contains("nothing written to the jail's filesystem since");
        assertThat(frozen.find()).as(log).isEqualTo(ran);
        assertThat(restic.find()).as(log).isEqualTo(ran);
        if (label.contains("identity")) {
            assertThat(log).as(log).contains("its test restore stands for this one").doesNotContain("test restore of");
        }
        long use = api.json(api.get("/api/tenants/" + tenant + "/backup-quota")).path("usedBytes").asLong();
        Figures f = new Figures(label, ran ? Long.parseLong(frozen.group(1)) : 0, steps(log),
                ran ? Long.parseLong(restic.group(1)) : 0, ran ? Long.parseLong(restic.group(2)) : 0,
                ran ? Double.parseDouble(restic.group(3)) : 0, jobS, use, load);
        figures.put(label, f);
        if (label.contains("full") && !QUICK) {
            add(String.format(Locale.ROOT, "| %s: restic step | %.1f | %.1f | %.1f | %.1f | %s |%n", label,
                    f.read() / (double) MIB, f.steps().get("restic-backup") / 1000.0, f.mibs(),
                    f.added() / (double) MIB, load));
            add(String.format(Locale.ROOT, "| %s: freeze-and-copy + restic | %.1f | %.1f | %.1f | | %s |%n",
                    label, f.read() / (double) MIB, (f.steps().get("restic-backup") + f.steps().get("freeze-and-copy"))
                            / 1000.0, f.withCaptureMibs(), load));
        }
        return label;
    }

    private static Map<String, Long> steps(String log) {
        Map<String, Long> steps = new LinkedHashMap<>();
        Matcher m = STEP.matcher(log);
        while (m.find()) {
            steps.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return steps;
    }

    private void restore(Api api, String unit, long treeBytes) throws Exception {
        JsonNode latest = api.json(api.get("/api/units/" + unit + "/backups")).get(0);
        String snapshot = latest.path("snapshotId").asText();
        Path scratch = Path.of(backup.workDir(), "bench-restore-" + UUID.randomUUID());
        Files.createDirectories(scratch);
        String load = load();
        long t0 = System.nanoTime();
        run(scratch, List.of("restic", "--repo", backup.repository(), "--password-file", backup.passwordFile(),
                "--cache-dir", backup.cacheDir(), "--quiet", "restore", snapshot, "--target", scratch.toString()));
        double bareS = (System.nanoTime() - t0) / 1e9;
        long restored = sizeOf(scratch);
        deleteTree(scratch);
        line("bare `restic restore` of the newest backup (the %d%s) into a directory: %.1f MiB in %.1f s, %.1f MiB/s"
                + " (load %s)", backupsTaken, backupsTaken == 2 ? "nd" : backupsTaken == 3 ? "rd" : "th",
                restored / (double) MIB, bareS, restored / (double) MIB / bareS, load);

        load = load();
        t0 = System.nanoTime();
        ResponseEntity<String> asked = api.post("/api/units/" + unit + "/backups/" + latest.path("id").asText()
                + "/restore", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        String job = api.json(asked).path("id").asText();
        assertThat(api.awaitEnd(job, PATIENCE).path("state").asText()).as(api.log(job)).isEqualTo("OK");
        double jobS = (System.nanoTime() - t0) / 1e9;
        String log = api.log(job);
        System.out.println("[jail-backup-bench] restore in place:\n" + log);
        Map<String, Long> steps = steps(log);
        long restoreMs = steps.get("restore-image");
        line("Lodge `RESTORE_JAIL` of the same backup: restore-image %.1f s (new image, mkfs, restic restore,"
                + " e2fsck -fn, swap) = %.1f MiB/s of the jail's %.1f MiB; job %.1f s (steps, ms: %s) (load %s)",
                restoreMs / 1000.0, treeBytes / (double) MIB / (restoreMs / 1000.0), treeBytes / (double) MIB, jobS,
                steps, load);
    }

    // ---- plumbing

    private void line(String format, Object... args) {
        add(String.format(Locale.ROOT, format, args) + "\n\n");
    }

    private void add(String text) {
        System.out.print("[jail-backup-bench] " + text);
        report.append(text);
    }

    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + ", " + f[1] + ", " + f[2];
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
