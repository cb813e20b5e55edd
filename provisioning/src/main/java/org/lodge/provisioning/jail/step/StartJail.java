package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.step.UnitStep;
import java.io.IOException;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.springframework.stereotype.Component;

/** Starts the jail's domain unless it already runs; undone by stopping it hard. */
@Component
public class StartJail extends UnitStep {

    private final JailHost host;

    public StartJail(UnitRepository jails, JailHost host) {
        super(jails);
        this.host = host;
    }

    @Override
    public String name() {
        return "start";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, IOException {
        UnitEntity jail = unit(ctx);
        Domain domain = host.domain(jail).orElseThrow(() -> new IllegalStateException(
                "jail " + jail.domain() + " is not defined on this node (not configured)"));
        if (DomainStates.isActive(domain)) {
            ctx.log(JobWords.ALREADY_RUNNING.with());
            return;
        }
        int pidsMax;
        try {
            pidsMax = host.start(jail, domain);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("starting " + jail.libvirtName(), e);
        }
        ctx.log(JobWords.STARTED.with(JailHost.initPid(domain).orElse(-1), pidsMax));
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException, IOException {
        Optional<UnitEntity> jail = unitIfPresent(ctx);
        Optional<Domain> domain = jail.flatMap(host::domain);
        if (domain.isPresent() && DomainStates.isActive(domain.get())) {
            domain.get().destroy();
            ctx.log(JobWords.STOPPED.with());
        }
        if (jail.isPresent()) {
            host.releaseStopped(jail.get());
        }
    }
}
