package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.step.UnitStep;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.springframework.stereotype.Component;

/**
 * Stops the jail: a clean shutdown first, then a hard stop after a grace period. Undoing it
 * starts the jail again if the jail was meant to be running.
 */
@Component
public class StopJail extends UnitStep {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final JailHost host;
    private final StartJail start;

    public StopJail(UnitRepository jails, JailHost host, StartJail start) {
        super(jails);
        this.host = host;
        this.start = start;
    }

    @Override
    public String name() {
        return "stop";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, InterruptedException, IOException {
        UnitEntity jail = unit(ctx);
        Optional<Domain> found = host.domain(jail);
        if (found.isEmpty() || !DomainStates.isActive(found.get())) {
            host.releaseStopped(jail);
            ctx.log(JobWords.NOT_RUNNING.with());
            return;
        }
        Domain domain = found.get();
        long askedAt = System.nanoTime();
        long deadline = askedAt + GRACE.toNanos();
        // Right after a start (or while its init is busy), libvirt's LXC driver may not know the
        // init's PID yet and refuses a shutdown ("Init process ID is not yet known"): asked again
        // within the same grace period, then stopped hard like any jail that does not stop.
        boolean asked = false;
        while (!asked && System.nanoTime() < deadline) {
            try {
                domain.shutdown();
                // libvirt 9's LXC shutdown tries an initctl pipe the jail does not have and then
                // sends nothing (measured: the jail ran on until the hard stop). lodge-init stops
                // its services on SIGTERM, so the init gets it from here as well.
                JailHost.initPid(domain).stream().mapToObj(ProcessHandle::of)
                        .flatMap(Optional::stream).forEach(ProcessHandle::destroy);
                asked = true;
            } catch (LibvirtException e) {
                if (!String.valueOf(e.getMessage()).contains("Init process ID is not yet known")) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        while (asked && DomainStates.isActive(domain) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (DomainStates.isActive(domain)) {
            ctx.log(JobWords.STOPPING_HARD.with(GRACE.toSeconds()));
            domain.destroy();
        } else {
            // lodge-init traps SIGTERM and stops its services: a clean stop takes a fraction of a second.
            ctx.log(JobWords.STOPPED_CLEANLY.with(Duration.ofNanos(System.nanoTime() - askedAt).toMillis()));
        }
        host.releaseStopped(jail);
        ctx.log(JobWords.STOPPED_UNMOUNTED.with());
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException, IOException {
        Optional<UnitEntity> jail = unitIfPresent(ctx);
        if (jail.isPresent() && jail.get().state() == UnitState.RUNNING) {
            start.execute(ctx);
        }
    }
}
