package org.lodge.provisioning.unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.DomainListing;
import org.lodge.provisioning.libvirt.DomainListing.Listed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the unit list true to libvirt: a jail or VM stopped, paused or removed behind our back
 * shows as such, and running units report how full their disk is (also after a worker restart).
 *
 * <p>Built to cost little at 10,000 units (docs/benchmarks.md): per cycle one query for the
 * node's units, one listing per libvirt connection ({@link DomainListing}), and one JDBC batch
 * for the units whose observation changed. Disk use is re-read for a share of the running units
 * per cycle.
 */
@Component
@WorkerRole
public class UnitStateSync {

    private static final Logger log = LoggerFactory.getLogger(UnitStateSync.class);

    /** A unit as the sync needs it; {@code busy}: a job is queued or running on it (it owns the unit then). */
    private record Row(UUID id, UnitKind kind, String libvirtName, UnitState state, Long diskUsed, long version, boolean busy) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final UnitDrivers drivers;
    private final NodeProperties node;
    private final long diskUseShares;
    private long cycle;

    public UnitStateSync(JdbcClient jdbc, JdbcTemplate batch, UnitDrivers drivers, NodeProperties node,
                         StateSyncProperties props) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.drivers = drivers;
        this.node = node;
        this.diskUseShares = Math.max(1, props.diskUseInterval().toMillis() / props.interval().toMillis());
    }

    @Scheduled(fixedDelayString = "${lodge.worker.state-sync.interval}", initialDelay = 5_000)
    public synchronized void sync() {
        long share = cycle++ % diskUseShares;
        Map<String, DomainListing> listings = new HashMap<>();
        List<Object[]> changes = new ArrayList<>();
        for (Row unit : units()) {
            if (unit.busy() || unit.state() == UnitState.PROVISIONING) {
                continue;
            }
            try {
                UnitDriver driver = drivers.of(unit.kind());
                Optional<Listed> domain = listings.computeIfAbsent(driver.uri(), uri -> DomainListing.of(driver.connection()))
                        .get(unit.libvirtName());
                if (domain.isEmpty()) {
                    // Not in any list: gone, or changing state while the lists were read; ask once.
                    domain = driver.domain(unit.libvirtName()).map(Listed::of);
                }
                UnitState actual = domain.map(d -> driver.observedState(unit.libvirtName(), d)).orElse(UnitState.NOT_CONFIGURED);
                // Disk use is read when the unit starts and then in its share of the cycles.
                boolean due = unit.state() != UnitState.RUNNING || Math.floorMod(unit.id().hashCode(), diskUseShares) == share;
                Long used = actual != UnitState.RUNNING ? null
                        : due ? driver.diskUsed(unit.libvirtName(), domain.get()) : unit.diskUsed();
                if (actual != unit.state() || !Objects.equals(used, unit.diskUsed())) {
                    changes.add(new Object[] {actual.name(), used, actual.name(), unit.id(), unit.version()});
                }
            } catch (RuntimeException e) {
                log.warn("cannot read the state of {}: {}", unit.libvirtName(), e.getMessage());
            }
        }
        write(changes);
    }

    private List<Row> units() {
        return jdbc.sql("""
                select u.id, u.kind, u.libvirt_name, u.state, u.disk_used_bytes, u.version,
                       busy.unit_id is not null as busy
                  from unit u
                  left join (select distinct unit_id from provisioning_job
                              where node_name = :node and state in ('ENQUEUED', 'RUNNING', 'COMPENSATING')) busy
                         on busy.unit_id = u.id
                 where u.node_name = :node""")
                .param("node", node.name())
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), UnitKind.valueOf(rs.getString("kind")),
                        rs.getString("libvirt_name"), UnitState.valueOf(rs.getString("state")),
                        rs.getObject("disk_used_bytes", Long.class), rs.getLong("version"), rs.getBoolean("busy")))
                .list();
    }

    /**
     * Writes only what changed, in one batch. An observation does not bump the version (a job's
     * own write must never fail because of it), but it is dropped when a job wrote the unit or
     * took it since it was read.
     */
    private void write(List<Object[]> changes) {
        if (changes.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                update unit set state = ?, disk_used_bytes = ?,
                       updated_at = case when state <> ? then now() else updated_at end
                 where id = ? and version = ?
                   and not exists (select 1 from provisioning_job j where j.unit_id = unit.id
                                      and j.state in ('ENQUEUED', 'RUNNING', 'COMPENSATING'))""", changes);
    }
}
