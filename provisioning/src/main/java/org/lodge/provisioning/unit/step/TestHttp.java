package org.lodge.provisioning.unit.step;

import java.time.Duration;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;

/** Proves the web server: GET / on the unit's address with Host: domain returns its page. */
public class TestHttp extends UnitStep {

    private final ServiceProbe probe;
    /** How long the unit may take to answer at all (a VM boots, a jail starts at once). */
    private final Duration patience;

    /** Whether the page must name the unit's domain (not for a clone, which serves its copied site). */
    private final boolean namesTheDomain;

    public TestHttp(UnitRepository units, ServiceProbe probe, Duration patience, boolean namesTheDomain) {
        super(units);
        this.probe = probe;
        this.patience = patience;
        this.namesTheDomain = namesTheDomain;
    }

    @Override
    public Duration timeout() {
        return patience.plusSeconds(30);
    }

    @Override
    public String name() {
        return "test-http";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        UnitEntity unit = unit(ctx);
        ServiceProbe.Page page = probe.awaitPage(unit.ipv4(), unit.domain(), "/", patience);
        if (page.status() != 200) {
            throw new IllegalStateException("GET http://" + unit.ipv4() + "/ answered " + page.status());
        }
        // The page names the domain as people read it (an IDN in Unicode).
        if (namesTheDomain && !page.body().contains(unit.view().domainUnicode())) {
            throw new IllegalStateException("GET http://" + unit.ipv4() + "/ did not return the page of " + unit.domain());
        }
        ctx.log((namesTheDomain ? JobWords.HTTP_OK_NAMED : JobWords.HTTP_OK).with(unit.ipv4(), unit.domain(),
                page.truncated() ? 1 : 0, page.body().length()));
    }
}
