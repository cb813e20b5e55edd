package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.unit.StateSyncProperties;
import org.lodge.provisioning.unit.UnitStateSync;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The state synchroniser at 10,000 units (half jails, half VMs, 80 % running) whose libvirt
 * domains live in libvirt's in-process test driver ({@code test:///default}): CPU time of the
 * synchronising thread per cycle (ThreadMXBean), as a share of one core at the configured
 * interval, in steady state and with 1 % of the domains stopped behind Lodge's back; beside it,
 * the bare libvirt listing of the same domains. The scheduled cycle is pushed out of the way so
 * that only the measured calls run. Prints figures; run with {@code ./lodge bench -Dtest=StateSyncBenchmark}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lodge.roles=portal,worker",
        "lodge.node.name=benchsync",
        "lodge.node.lxc-uri=test:///default",
        "lodge.node.storage-dir=" + StateSyncBenchmark.ROOT + "/jails",
        "lodge.node.storage-pool=lodge-benchsync-jails",
        "lodge.node.mount-dir=" + StateSyncBenchmark.ROOT + "/mnt",
        "lodge.node.vm.uri=test:///default",
        "lodge.node.vm.storage-dir=" + StateSyncBenchmark.ROOT + "/vms",
        "lodge.node.vm.storage-pool=lodge-benchsync-vms",
        "lodge.node.vm.template-dir=" + StateSyncBenchmark.ROOT + "/templates",
        "lodge.node.vm.template-pool=lodge-benchsync-templates",
        "lodge.node.vm.boot-dir=" + StateSyncBenchmark.ROOT + "/boot",
        "lodge.worker.state-sync.interval=1h"})
@ActiveProfiles("test")
@Tag("bench")
@Tag("worker")
class StateSyncBenchmark {

    static final String ROOT = "/var/lib/lodge/bench-sync";
    private static final int UNITS = 10_000;
    private static final int CYCLES = 5;
    /** The interval the figures are a share of: the shipped default, not the benchmark's own. */
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    @Autowired
    UnitStateSync sync;
    @Autowired
    LibvirtConnections libvirt;
    @Autowired
    NodeProperties node;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    StateSyncProperties props;

    private final List<Domain> defined = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    @Test
    void cpuPerCycleAtTenThousandUnits() throws Exception {
        Connect conn = libvirt.get(node.lxcUri());
        List<Object[]> rows = new ArrayList<>();
        UUID pool = jdbc.sql("select id from ip_pool where node_name = :n").param("n", node.name()).query(UUID.class).single();
        UUID tenant = UUID.randomUUID();
        for (int i = 0; i < UNITS; i++) {
            boolean vm = i % 2 == 1;
            boolean running = i % 10 < 8;
            String hex = String.format("%08x", 0xb0000000L + i);
            UUID id = UUID.fromString(hex + "-0000-4000-8000-" + String.format("%012x", i));
            String name = "lodge-" + hex;
            Domain domain = conn.domainDefineXML("<domain type='test'><name>" + name + "</name><uuid>" + id
                    + "</uuid><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>");
            if (running) {
                domain.create();
            }
            defined.add(domain);
            rows.add(new Object[] {id, vm ? "VM" : "JAIL", tenant, node.name(), pool, "u" + i + ".bench-sync.example.com",
                    "10.231.77." + (10 + i % 190), 64L << 20, 64, vm ? "tiny" : "busybox",
                    vm ? String.format("52:54:b0:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff) : null,
                    name, "web" + hex, running ? "RUNNING" : "STOPPED"});
        }
        jdbcTemplate.batchUpdate("""
                insert into unit (id, kind, tenant_id, node_name, pool_id, domain, ipv4, disk_bytes, memory_mib, template,
                                  mac, libvirt_name, ftp_user, state)
                values (?, ?, ?, ?, ?, ?, ?::inet, ?, ?, ?, ?, ?, ?, ?)""", rows);

        sync.sync();
        sync.sync();
        List<Long> steady = cycles(CYCLES);

        List<Long> listing = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < CYCLES; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            Domain[] all = conn.listAllDomains(0);
            for (Domain d : all) {
                d.getName();
            }
            listing.add(threads.getCurrentThreadCpuTime() - cpu);
            assertThat(all.length).isGreaterThanOrEqualTo(UNITS);
        }

        List<Long> changed = new ArrayList<>();
        List<UUID> stopped = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < CYCLES; round++) {
            // Units whose index ends in 0 were started; stop 1 % of all units per round.
            for (int n = 0; n < UNITS / 100; n++, next += 10) {
                defined.get(next).destroy();
                stopped.add(UUID.fromString(defined.get(next).getUUIDString()));
            }
            changed.addAll(cycles(1));
        }
        int marked = jdbc.sql("select count(*) from unit where id in (:ids) and state = 'STOPPED'")
                .param("ids", stopped).query(Integer.class).single();
        assertThat(marked).as("units stopped behind Lodge's back are shown stopped").isEqualTo(stopped.size());

        line("| series (" + UNITS + " units: 5,000 jails + 5,000 VMs, 80 % running) | n | CPU per cycle p50 | p95 | share of a core at " + INTERVAL.toSeconds() + " s |");
        line("|---|---|---|---|---|");
        line(row("state sync, nothing changed", steady));
        line(row("state sync, 1 % of the domains stopped behind Lodge's back", changed));
        line(row("bare listing of all domains (listAllDomains + getName)", listing));
        line("");
        line("disk use re-read every " + props.diskUseInterval().toSeconds() + " s (a share of the units per cycle)");
        System.out.println("\n=== State sync benchmark ===\n" + report);
        Files.writeString(Path.of("target/state-sync-benchmark.md"), report.toString());
    }

    private List<Long> cycles(int n) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> cpu = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long before = threads.getCurrentThreadCpuTime();
            sync.sync();
            cpu.add(threads.getCurrentThreadCpuTime() - before);
        }
        return cpu;
    }

    private static String row(String label, List<Long> cpuNanos) {
        double p50 = Percentiles.p(cpuNanos, 50);
        return String.format("| %s | %d | %.1f ms | %.1f ms | %.2f %% |", label, cpuNanos.size(), p50,
                Percentiles.p(cpuNanos, 95), p50 / INTERVAL.toMillis() * 100);
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    @AfterEach
    void removeDomains() throws Exception {
        for (Domain domain : defined) {
            if (domain.isActive() == 1) {
                domain.destroy();
            }
            domain.undefine();
        }
        jdbc.sql("delete from unit where node_name = :n").param("n", node.name()).update();
    }
}
