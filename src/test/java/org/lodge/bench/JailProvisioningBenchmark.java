package org.lodge.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.net.ftp.FTP;
import static org.lodge.bench.Percentiles.p;
import static org.lodge.bench.Percentiles.row;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.lodge.support.AsStaff;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.jail.JailPidsLimit;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jail provisioning, submit → OK (HTTP and FTP tested), 20 one after the other and 20 at once,
 * beside the same libvirt and disk operations scripted directly in the same run (one after the
 * other: a Lodge job and its raw twin in turn); then host
 * memory per idle jail. Prints figures; run with {@code ./lodge bench}.
 */
@LiveNodeTest
@Tag("bench")
@Tag("worker")
class JailProvisioningBenchmark {

    private static final int RUNS = 20;
    private static final int WARMUP = 5;
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Object RAW_STARTS = new Object();

    @Autowired
    UnitService jails;

    @Autowired

    UnitActionService actions;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    NodeProperties node;
    @Autowired
    LibvirtXml xml;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitFilter filter;
    @Autowired
    JailPidsLimit pidsLimit;

    final StringBuilder report = new StringBuilder();

    @Test
    void provisioningLatencyAndIdleMemory() throws Exception {
        UUID tenant = data.tenant("bench").getId();
        // Not measured: a worker and a portal that have run a while have their code compiled (a
        // request is ~4 ms warm, ~15 ms on the first few jobs); raw's path is warmed alike.
        for (int i = 0; i < WARMUP; i++) {
            deleteAll(List.of(provisioned(tenant, "10.231.77.99", "warmup" + i + "-" + UUID.randomUUID().toString().substring(0, 4),
                    new Phases()).job().unitId()));
            rawJail(190 + i).close(); // an address of its own each time: raw does not flush the node's ARP entry
        }

        // One after the other, a Lodge job then its raw twin, in turn: both series see the same JIT,
        // the same jails already running and the same background work of the node.
        List<Long> sequential = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        List<UUID> created = new ArrayList<>();
        List<UUID> sequentialJobs = new ArrayList<>();
        Phases lodgePhases = new Phases();
        Phases rawPhases = new Phases();
        Map<String, Double> lodgeCpu = new LinkedHashMap<>();
        Map<String, Double> rawCpu = new LinkedHashMap<>();
        for (int i = 0; i < RUNS; i++) {
            // Each measured run starts on a settled node: not amid the previous run's clean-up (raw's umount and
            // volume deletion) or after-work (Lodge's UnitCreated listeners), which only one side would pay.
            Thread.sleep(SETTLE.toMillis());
            Map<String, Double> before = NodeCpu.now();
            Provisioned done = provisioned(tenant, "10.231.77." + (100 + i), "seq" + i + "-" + UUID.randomUUID().toString().substring(0, 4),
                    lodgePhases);
            sequential.add(done.nanos());
            created.add(done.job().unitId());
            sequentialJobs.add(done.job().id());
            NodeCpu.since(before).forEach((group, ms) -> lodgeCpu.merge(group, ms, Double::sum));
            Thread.sleep(SETTLE.toMillis());
            before = NodeCpu.now();
            long start = System.nanoTime();
            AutoCloseable cleanup = rawJail(140 + i, rawPhases);
            raw.add(System.nanoTime() - start);
            NodeCpu.since(before).forEach((group, ms) -> rawCpu.merge(group, ms, Double::sum));
            cleanup.close();
        }
        JailMemory memory = idleMemory(created);
        deleteAll(created);
        created.clear();

        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        List<Future<Long>> parallel = new ArrayList<>();
        List<UUID> parallelJails = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < RUNS; i++) {
            int n = i;
            parallel.add(pool.submit(() -> {
                Provisioned done = provisioned(tenant, "10.231.77." + (120 + n), "par" + n + "-" + UUID.randomUUID().toString().substring(0, 4),
                        new Phases());
                parallelJails.add(done.job().unitId());
                return done.nanos();
            }));
        }
        List<Long> concurrent = new ArrayList<>();
        for (Future<Long> f : parallel) {
            concurrent.add(f.get());
        }
        pool.shutdown();
        List<Long> rawParallel = rawConcurrently();
        deleteAll(parallelJails);

        line("| series | n | p50 | p95 |");
        line("|---|---|---|---|");
        line(row("Lodge, one after the other (submit → OK)", sequential));
        line(row("raw libvirt + disk + tests, one after the other", raw));
        line(row("Lodge, 20 at once (submit → OK, worker concurrency " + 4 + ")", concurrent));
        line(row("raw, 20 at once", rawParallel));
        line("");
        line(String.format("ratio p50 Lodge / raw, one after the other: %.2f", p(sequential, 50) / p(raw, 50)));
        line(String.format("ratio p50 Lodge / raw, 20 at once: %.2f", p(concurrent, 50) / p(rawParallel, 50)));
        line("JIT of this JVM (portal, worker and raw alike): " + NodeCpu.jit());
        line("");
        line("Where a job's time goes, one after the other (p50 over the " + RUNS + " jobs, from each step's \"done in\" line):");
        line("");
        line("| step | p50 |");
        line("|---|---|");
        jdbc.sql("""
                select step, percentile_cont(0.5) within group (order by cast(substring(message from 'done in ([0-9]+) ms') as int)) as p50,
                       min(id) as first
                  from job_log where job_id in (:jobs) and message like 'done in % ms' group by step order by first""")
                .param("jobs", sequentialJobs)
                .query((rs, n) -> "| " + rs.getString("step") + " | " + Math.round(rs.getDouble("p50")) + " ms |")
                .list().forEach(this::line);
        line("");
        line("Around the steps, the same jobs (p50):");
        line("");
        line("| part | p50 |");
        line("|---|---|");
        lodgePhases.times.forEach((phase, times) -> line("| " + phase + " | " + Math.round(p(times, 50)) + " ms |"));
        jdbc.sql("""
                select percentile_cont(0.5) within group (order by extract(epoch from started_at - created_at) * 1000) as waited,
                       percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at) * 1000) as ran
                  from provisioning_job where id in (:jobs)""")
                .param("jobs", sequentialJobs)
                .query((rs, n) -> "| enqueued → claimed by the worker | " + Math.round(rs.getDouble("waited")) + " ms |\n"
                        + "| claimed → ended (the steps and the engine around them) | " + Math.round(rs.getDouble("ran")) + " ms |")
                .list().forEach(this::line);
        jdbc.sql("select count(*) from job_log where job_id = :job").param("job", sequentialJobs.get(0)).query(Long.class)
                .list().forEach(lines -> line("| job log lines written per job | " + lines + " |"));
        line("");
        line("The raw series' phases, one after the other (p50 over its " + RUNS + " runs):");
        line("");
        line("| phase | p50 |");
        line("|---|---|");
        rawPhases.times.forEach((phase, times) -> line("| " + phase + " | " + Math.round(p(times, 50)) + " ms |"));
        line("");
        line("CPU used on the node per job, one after the other (mean over the " + RUNS + " of each series, from /proc;"
                + " 10 ms ticks):");
        line("");
        line("| processes | Lodge | raw |");
        line("|---|---|---|");
        lodgeCpu.forEach((group, ms) -> line(String.format("| %s | %.1f ms | %.1f ms |", group, ms / RUNS,
                rawCpu.getOrDefault(group, 0.0) / RUNS)));
        List<Long> admits = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            UnitFilter.Entry entry = new UnitFilter.Entry("lodge-bench" + i, "52:54:00:be:00:0" + (i % 10), "10.231.77." + (60 + i));
            long start = System.nanoTime();
            filter.admit(entry);
            admits.add(System.nanoTime() - start);
            filter.release(entry.port());
        }
        line("");
        line(row("the traffic filter's share of a start: one element added (nft)", admits));
        line(String.format("host memory per idle jail (%d jails): cgroup %.1f MiB, PSS of the jail's processes %.2f MiB",
                RUNS, memory.cgroupMibEach(RUNS), memory.pssMibEach(RUNS)));
        System.out.println("\n=== Lodge benchmark ===\n" + report);
        Files.writeString(Path.of("target/benchmark.md"), report.toString());
    }

    /** A job that ended OK, and the time from its submission until it was seen to. */
    private record Provisioned(JobView job, long nanos) {
    }

    private Provisioned provisioned(UUID tenant, String ip, String label, Phases phases) throws InterruptedException {
        long submitted = System.nanoTime();
        JobView job = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, node.name(), "64M", label + ".example.com", ip, null), "bench"));
        phases.took("submit: the request's checks and the enqueue", submitted);
        awaitFinal(job.id());
        long nanos = System.nanoTime() - submitted;
        JobView done = jobs.find(job.id(), TenantScope.all());
        if (done.state() != JobState.OK) {
            throw new AssertionError(label + " ended " + done.state() + ": " + done.lastError());
        }
        return new Provisioned(done, nanos);
    }

    /** Until the job's state reads final (the clock stops there, not after the benchmark's own read of the job). */
    private void awaitFinal(UUID id) throws InterruptedException {
        // One indexed read of the state per poll: the watching must not cost the node what the job needs.
        while (!JobState.valueOf(jdbc.sql("select state from provisioning_job where id = :id").param("id", id)
                .query(String.class).single()).isFinal()) {
            Thread.sleep(5);
        }
    }

    private void deleteAll(List<UUID> unitIds) throws InterruptedException {
        List<UUID> deletions = new ArrayList<>();
        for (UUID unit : unitIds) {
            deletions.add(AsStaff.call(() -> actions.requestAction(unit, UnitAction.DELETE, TenantScope.all(), "bench")).id());
        }
        for (UUID id : deletions) {
            awaitFinal(id);
        }
    }

    /**
     * The same work without Lodge: volume, staged root + mkfs.ext4 -d, mount, define, traffic filter entry,
     * start, pids limit, HTTP GET,
     * FTP login/upload/list/fetch/delete, all called directly. The returned clean-up is not timed.
     */
    private AutoCloseable rawJail(int octet) throws Exception {
        return rawJail(octet, new Phases());
    }

    private AutoCloseable rawJail(int octet, Phases phases) throws Exception {
        long mark = System.nanoTime();
        String name = "lodge-raw" + octet;
        String ip = "10.231.77." + octet;
        String domain = name + ".example.com";
        Connect conn = new Connect(node.lxcUri());
        StoragePool pool = conn.storagePoolLookupByName(node.storagePool());
        StorageVol volume = pool.storageVolCreateXML(xml.render("raw-volume", Map.of("name", name + ".img",
                "capacity", 64L << 20)), 0);
        mark = phases.took("disk-image (volume)", mark);
        Path staging = Files.createTempDirectory("lodge-raw");
        long uidBase = 100000 + 65536L * (30000 + octet);
        RootFilesystem.stage(Path.of(node.templateDir()), staging, domain, "rawuser",
                Sha2Crypt.sha512Crypt("raw-password".getBytes(StandardCharsets.UTF_8)),
                certificates.issue(domain, ip).pem(), uidBase);
        run("/sbin/mkfs.ext4", "-q", "-F", "-E", "root_owner=" + uidBase + ":" + uidBase, "-d", staging.toString(),
                volume.getPath());
        mark = phases.took("root-filesystem (stage, mkfs.ext4 -d)", mark);
        Path root = Files.createDirectories(Path.of(node.mountDir(), name));
        run("/usr/bin/mount", "-o", "loop,nodev,nosuid", volume.getPath(), root.toString());
        mark = phases.took("start: mount", mark);
        Domain domainHandle = conn.domainDefineXML(xml.render("jail-domain", Map.ofEntries(Map.entry("name", name),
                Map.entry("domain", domain), Map.entry("memoryMib", 64), Map.entry("root", root.toString()),
                Map.entry("uidBase", uidBase), Map.entry("template", node.templateDir()),
                Map.entry("shared", RootFilesystem.SHARED_DIRS), Map.entry("network", node.network().name()),
                Map.entry("ipv4", ip), Map.entry("prefix", 24), Map.entry("gateway", node.network().gateway()),
                Map.entry("mac", ""), Map.entry("cpuShares", node.jailLimits().cpuShares()),
                Map.entry("cpuQuotaMicros", 1000 * node.jailLimits().cpuQuotaPercent()))));
        mark = phases.took("define-domain", mark);
        // The same traffic filter entry as Lodge's, made with nft directly.
        String element = "{ " + name + " . " + XmlQuery.of(domainHandle.getXMLDesc(0))
                .attribute("address", "devices", "interface", "mac") + " . " + ip + " }";
        run("/usr/sbin/nft", "add", "element", "bridge", "lodge", "units", element);
        mark = phases.took("start: traffic filter (nft)", mark);
        synchronized (RAW_STARTS) {
            // The same serialisation of starts as JailHost.start (loop device race).
            pidsLimit.release(name);
            domainHandle.create();
        }
        mark = phases.took("start: create", mark);
        pidsLimit.apply(name, domainHandle);
        mark = phases.took("start: pids limit", mark);
        if (!probe.awaitPage(ip, domain, "/", Duration.ofSeconds(15)).body().contains(domain)) {
            throw new IllegalStateException("raw jail does not serve its page");
        }
        mark = phases.took("test-http", mark);
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        connect(ftp, ip);
        if (!ftp.loginPrivate("rawuser", "raw-password")) {
            throw new IllegalStateException("raw FTP login refused");
        }
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        ftp.storeFile("probe.txt", new ByteArrayInputStream("probe".getBytes(StandardCharsets.UTF_8)));
        ftp.listNames();
        probe.get(ip, domain, "/probe.txt");
        ftp.deleteFile("probe.txt");
        ftp.logout();
        ftp.disconnect();
        phases.took("test-ftp", mark);
        RootFilesystem.delete(staging);
        return () -> {
            domainHandle.destroy();
            domainHandle.undefine();
            pidsLimit.release(name);
            run("/usr/sbin/nft", "delete", "element", "bridge", "lodge", "units", element);
            run("/usr/bin/umount", root.toString());
            Files.delete(root);
            volume.delete(0);
            conn.close();
        };
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private List<Long> rawConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> futures = new ArrayList<>();
        long submitted = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            int octet = 160 + i;
            futures.add(pool.submit(() -> {
                AutoCloseable cleanup = rawJail(octet);
                long elapsed = System.nanoTime() - submitted;
                cleanup.close();
                return elapsed;
            }));
        }
        List<Long> result = new ArrayList<>();
        for (Future<Long> f : futures) {
            result.add(f.get());
        }
        pool.shutdown();
        return result;
    }

    private static void connect(FtpsClient ftp, String ip) throws Exception {
        for (int i = 0; ; i++) {
            try {
                ftp.connect(ip, 21);
                return;
            } catch (java.io.IOException e) {
                if (i > 200) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Memory of the given idle jails, after they settled. */
    private JailMemory idleMemory(List<UUID> unitIds) throws Exception {
        Thread.sleep(2000);
        return JailMemory.of(node.lxcUri(), jdbc.sql("select libvirt_name from unit where id in (:ids)")
                .param("ids", unitIds).query(String.class).list());
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    /** Time per phase of the raw series, in nanoseconds, in the order first seen. */
    private static final class Phases {
        final Map<String, List<Long>> times = Collections.synchronizedMap(new LinkedHashMap<>());

        /** Records the time since {@code since} under {@code phase}; the new mark. */
        long took(String phase, long since) {
            long now = System.nanoTime();
            times.computeIfAbsent(phase, k -> Collections.synchronizedList(new ArrayList<>())).add(now - since);
            return now;
        }
    }
}
