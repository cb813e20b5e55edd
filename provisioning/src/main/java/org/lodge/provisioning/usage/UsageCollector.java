package org.lodge.provisioning.usage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.libvirt.DomainInfo.DomainState;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.DomainListing;
import org.lodge.provisioning.libvirt.DomainListing.Listed;
import org.lodge.provisioning.unit.UnitDriver;
import org.lodge.provisioning.unit.UnitDrivers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples every running unit of this node once a minute, in one pass: one query for the node's
 * units, one listing per libvirt connection ({@link DomainListing}), the counters of each running
 * domain (jails from the kernel's files, VMs through libvirt), and one batched insert. It never
 * runs a query or a look-up per unit, so its cost is the reading of the counters themselves
 * (docs/benchmarks.md). A unit that is not running has no sample: a gap in its charts.
 */
@Component
@WorkerRole
public class UsageCollector {

    private static final Logger log = LoggerFactory.getLogger(UsageCollector.class);

    private record Unit(UUID id, UUID tenantId, UnitKind kind, String libvirtName) {
    }

    private final JdbcClient jdbc;
    private final UnitDrivers drivers;
    private final JailUsage jails;
    private final VmUsage vms;
    private final UsageStore store;
    private final String node;
    private final Timer passes;

    public UsageCollector(JdbcClient jdbc, UnitDrivers drivers, JailUsage jails, VmUsage vms, UsageStore store,
                          NodeProperties node, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.drivers = drivers;
        this.jails = jails;
        this.vms = vms;
        this.store = store;
        this.node = node.name();
        this.passes = Timer.builder("lodge.usage.collector.pass").description("One usage pass over this node's units")
                .register(meters);
    }

    @Scheduled(fixedRateString = "${lodge.usage.interval}", initialDelay = 20_000)
    public void scheduled() {
        try {
            collect();
        } catch (RuntimeException e) {
            log.warn("usage pass failed: {}", e.toString());
        }
    }

    /** One pass; the samples written. */
    public synchronized List<UsageSample> collect() {
        return passes.record(() -> {
            Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<UsageSample> samples = sample(at, units());
            store.insert(samples);
            return samples;
        });
    }

    private List<UsageSample> sample(Instant at, List<Unit> units) {
        List<UsageSample> samples = new ArrayList<>(units.size());
        Map<String, String> mounts = null;
        Set<String> runningJails = new HashSet<>();
        for (UnitKind kind : UnitKind.values()) {
            List<Unit> ofKind = units.stream().filter(u -> u.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            UnitDriver driver = drivers.of(kind);
            DomainListing listing;
            try {
                listing = DomainListing.of(driver.connection());
            } catch (RuntimeException e) {
                log.warn("usage: cannot list the domains of {}: {}", driver.uri(), e.getMessage());
                continue;
            }
            if (kind == UnitKind.JAIL) {
                mounts = jails.mounts();
            }
            for (Unit unit : ofKind) {
                Optional<Listed> domain = listing.get(unit.libvirtName());
                if (domain.isEmpty() || !domain.get().isActive() || domain.get().state() != DomainState.VIR_DOMAIN_RUNNING) {
                    continue;
                }
                try {
                    Counters c = kind == UnitKind.JAIL
                            ? jails.read(unit.libvirtName(), domain.get().id(), mounts)
                            : vms.read(unit.libvirtName(), domain.get().handle());
                    if (kind == UnitKind.JAIL) {
                        runningJails.add(unit.libvirtName());
                    }
                    samples.add(new UsageSample(unit.id(), unit.tenantId(), at, c.cpuNanos(), c.memoryBytes(),
                            c.diskUsedBytes(), c.diskReadBytes(), c.diskWriteBytes(), c.netInBytes(), c.netOutBytes()));
                } catch (RuntimeException e) {
                    // Stopped during the pass, most likely: no sample this minute.
                    log.debug("usage of {} not read: {}", unit.libvirtName(), e.getMessage());
                }
            }
        }
        jails.retain(runningJails);
        return samples;
    }

    private List<Unit> units() {
        return jdbc.sql("select id, tenant_id, kind, libvirt_name from unit where node_name = :node")
                .param("node", node)
                .query((rs, n) -> new Unit(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        UnitKind.valueOf(rs.getString("kind")), rs.getString("libvirt_name")))
                .list();
    }
}
