package org.lodge.provisioning.jail;

import java.util.List;
import java.util.Optional;
import org.libvirt.Domain;
import org.lodge.provisioning.JailState;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.job.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the jail list true to libvirt: a jail stopped or removed behind our back shows as
 * stopped or not configured, and running jails report how full their disk is.
 */
@Component
@WorkerRole
public class JailStateSync {

    private static final Logger log = LoggerFactory.getLogger(JailStateSync.class);
    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final JailRepository jails;
    private final JobRepository jobs;
    private final JailHost host;
    private final NodeProperties node;

    public JailStateSync(JailRepository jails, JobRepository jobs, JailHost host, NodeProperties node) {
        this.jails = jails;
        this.jobs = jobs;
        this.host = host;
        this.node = node;
    }

    @Scheduled(fixedDelay = 10_000, initialDelay = 5_000)
    public void sync() {
        for (JailEntity jail : jails.findByNodeName(node.name())) {
            if (jail.state() == JailState.PROVISIONING || jobs.existsByUnitIdAndStateIn(jail.id(), ACTIVE)) {
                continue;
            }
            try {
                Optional<Domain> domain = host.domain(jail);
                JailState actual = domain.isEmpty() ? JailState.NOT_CONFIGURED
                        : JailHost.active(domain.get()) ? JailState.RUNNING : JailState.STOPPED;
                Long used = actual == JailState.RUNNING ? JailHost.diskUsed(domain.get()) : null;
                if (actual != jail.state() || (used != null && !used.equals(jail.view().diskUsedBytes()))) {
                    jail.changeState(actual);
                    jail.diskUsed(used);
                    jails.save(jail);
                }
            } catch (RuntimeException e) {
                log.warn("cannot read the state of jail {}: {}", jail.domain(), e.getMessage());
            }
        }
    }
}
