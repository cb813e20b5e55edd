package org.lodge.bench;

import static org.lodge.bench.Percentiles.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Idle host memory of web-php jails (nginx + PHP-FPM) beside static busybox jails, made through
 * the normal job in the same run, and how many idle PHP jails this node's memory holds. Prints
 * figures; run with {@code ./lodge bench}.
 */
@LiveNodeTest
@Tag("bench")
class PhpJailMemoryBenchmark {

    /** Enough jails that the pages they share (libraries, the template's files) divide among several. */
    private static final int[] PHP_OCTETS = {211, 212, 213, 214, 215, 216, 217, 218};
    private static final int[] STATIC_OCTETS = {95, 96, 97, 98};

    @Autowired
    UnitService units;

    @Autowired

    UnitActionService actions;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    NodeProperties node;
    @Autowired
    JdbcClient jdbc;

    @Test
    void idleMemoryPerPhpJail() throws Exception {
        UUID tenant = data.tenant("php-bench").getId();
        List<Long> phpTimes = new ArrayList<>();
        List<Long> staticTimes = new ArrayList<>();
        List<UUID> php = new ArrayList<>();
        List<UUID> plain = new ArrayList<>();
        try {
            for (int octet : PHP_OCTETS) {
                php.add(created(tenant, "web-php", octet, phpTimes));
            }
            for (int octet : STATIC_OCTETS) {
                plain.add(created(tenant, "busybox", octet, staticTimes));
            }
            // Idle: the jails' services started and settled, nobody asks them anything.
            Thread.sleep(Duration.ofSeconds(10).toMillis());
            JailMemory phpMemory = JailMemory.of(node.lxcUri(), names(php));
            JailMemory staticMemory = JailMemory.of(node.lxcUri(), names(plain));
            long available = memAvailableBytes();
            StringBuilder report = new StringBuilder();
            report.append("| series | n | p50 | p95 |\n|---|---|---|---|\n")
                    .append(row("web-php jail, submit → OK (HTTP, PHP, FTPS tested)", phpTimes)).append('\n')
                    .append(row("busybox jail, submit → OK (HTTP, FTPS tested)", staticTimes)).append('\n')
                    .append(String.format("%nidle host memory per jail (" + php.size() + " web-php, " + plain.size() + " busybox): web-php cgroup %.1f MiB, PSS %.2f MiB;"
                                    + " busybox cgroup %.1f MiB, PSS %.2f MiB%n",
                            phpMemory.cgroupMibEach(php.size()), phpMemory.pssMibEach(php.size()),
                            staticMemory.cgroupMibEach(plain.size()), staticMemory.pssMibEach(plain.size())))
                    .append(String.format("MemAvailable with them running: %.1f GiB, room for %d more idle web-php jails"
                                    + " by PSS (%d by cgroup usage, which counts their page cache)%n",
                            available / (double) (1L << 30),
                            (long) (available / (phpMemory.pssKib() * 1024.0 / php.size())),
                            (long) (available / (phpMemory.cgroupBytes() / (double) php.size()))));
            System.out.println("\n=== PHP jail memory ===\n" + report);
            Files.writeString(Path.of("target/php-jail-memory.md"), report.toString());
        } finally {
            List<UUID> all = new ArrayList<>(php);
            all.addAll(plain);
            for (UUID unit : all) {
                awaitEnd(AsStaff.call(() -> actions.requestAction(unit, UnitAction.DELETE, TenantScope.all(), "bench")).id());
            }
        }
    }

    private UUID created(UUID tenant, String template, int octet, List<Long> times) throws InterruptedException {
        String domain = template + "-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        long start = System.nanoTime();
        JobView job = AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant, node.name(), UnitKind.JAIL, "128M",
                domain, "10.231.77." + octet, null, null, template, null), "bench"));
        JobView done = awaitEnd(job.id());
        times.add(System.nanoTime() - start);
        if (done.state() != JobState.OK) {
            throw new AssertionError(domain + " ended " + done.state() + ": " + done.lastError());
        }
        return done.unitId();
    }

    private JobView awaitEnd(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JobView job = jobs.find(id, TenantScope.all());
            if (job.state().isFinal()) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not end in 3 minutes");
    }

    private List<String> names(List<UUID> unitIds) {
        return jdbc.sql("select libvirt_name from unit where id in (:ids)").param("ids", unitIds)
                .query(String.class).list();
    }

    private static long memAvailableBytes() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemAvailable:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElseThrow();
    }
}
