package org.lodge.provisioning.jail.step;

import java.time.Duration;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailProbe;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** Proves the web server: GET / on the jail's address with Host: domain returns its page. */
@Component
public class TestHttp extends JailStep {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final JailProbe probe;

    public TestHttp(JailRepository jails, JailProbe probe) {
        super(jails);
        this.probe = probe;
    }

    @Override
    public String name() {
        return "test-http";
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        JailEntity jail = jail(ctx);
        JailProbe.Page page = probe.awaitPage(jail.ipv4(), jail.domain(), "/", PATIENCE);
        if (page.status() != 200) {
            throw new IllegalStateException("GET http://" + jail.ipv4() + "/ answered " + page.status());
        }
        // The page names the domain as people read it (an IDN in Unicode).
        if (!page.body().contains(jail.view().domainUnicode())) {
            throw new IllegalStateException("GET http://" + jail.ipv4() + "/ did not return the page of " + jail.domain());
        }
        ctx.log("GET http://" + jail.ipv4() + "/ with Host: " + jail.domain() + " → 200, " + page.body().length()
                + " bytes naming the domain");
    }
}
