package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.JailState;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.job.JobContext;
import org.springframework.transaction.support.TransactionTemplate;

/** Records the state a job leaves its jail in; one instance per target state (see JailPlans). */
public class MarkState extends JailStep {

    private final JailState target;
    private final TransactionTemplate tx;
    private final JailHost host;

    public MarkState(JailRepository jails, TransactionTemplate tx, JailHost host, JailState target) {
        super(jails);
        this.tx = tx;
        this.host = host;
        this.target = target;
    }

    @Override
    public String name() {
        return "mark-" + target.name().toLowerCase().replace('_', '-');
    }

    @Override
    public void execute(JobContext ctx) {
        tx.executeWithoutResult(status -> {
            JailEntity jail = jail(ctx);
            jail.changeState(target);
            jail.diskUsed(target == JailState.RUNNING ? host.domain(jail).map(JailHost::diskUsed).orElse(null) : null);
            jails().save(jail);
        });
        ctx.log("jail is now " + target.name().toLowerCase().replace('_', ' '));
    }
}
