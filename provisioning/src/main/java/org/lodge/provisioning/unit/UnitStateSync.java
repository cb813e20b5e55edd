package org.lodge.provisioning.unit;

import java.util.List;
import java.util.Objects;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.job.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the unit list true to libvirt: a jail or VM stopped, paused or removed behind our back
 * shows as such, running units report how full their disk is and where their console listens
 * (also after a worker restart).
 */
@Component
@WorkerRole
public class UnitStateSync {

    private static final Logger log = LoggerFactory.getLogger(UnitStateSync.class);
    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final UnitRepository units;
    private final JobRepository jobs;
    private final UnitDrivers drivers;
    private final NodeProperties node;

    public UnitStateSync(UnitRepository units, JobRepository jobs, UnitDrivers drivers, NodeProperties node) {
        this.units = units;
        this.jobs = jobs;
        this.drivers = drivers;
        this.node = node;
    }

    @Scheduled(fixedDelayString = "${lodge.worker.state-sync.interval}", initialDelay = 5_000)
    public void sync() {
        for (UnitEntity unit : units.findByNodeName(node.name())) {
            if (unit.state() == UnitState.PROVISIONING || jobs.existsByUnitIdAndStateIn(unit.id(), ACTIVE)) {
                continue;
            }
            try {
                UnitDriver driver = drivers.of(unit);
                UnitState actual = driver.observedState(unit);
                Long used = actual == UnitState.RUNNING ? driver.diskUsed(unit) : null;
                Integer console = driver.consolePort(unit);
                if (actual != unit.state() || !Objects.equals(used, unit.view().diskUsedBytes())
                        || !Objects.equals(console, unit.consolePort())) {
                    unit.changeState(actual);
                    unit.diskUsed(used);
                    unit.consolePort(console);
                    units.save(unit);
                }
            } catch (RuntimeException e) {
                log.warn("cannot read the state of {}: {}", unit.domain(), e.getMessage());
            }
        }
    }
}
