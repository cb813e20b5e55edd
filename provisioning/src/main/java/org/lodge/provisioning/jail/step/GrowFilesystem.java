package org.lodge.provisioning.jail.step;

import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** resize2fs to fill the grown image (offline: ext4 cannot grow online here), then record the size. */
@Component
public class GrowFilesystem extends JailStep {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final JailHost host;
    private final HostCommands commands;
    private final TransactionTemplate tx;

    public GrowFilesystem(JailRepository jails, JailHost host, HostCommands commands, TransactionTemplate tx) {
        super(jails);
        this.host = host;
        this.commands = commands;
        this.tx = tx;
    }

    @Override
    public String name() {
        return "resize2fs";
    }

    @Override
    public Duration timeout() {
        return TIMEOUT;
    }

    @Override
    public void execute(JobContext ctx) {
        JailEntity jail = jail(ctx);
        HostCommands.Result result = commands.runChecked(Program.RESIZE2FS, List.of(host.imagePath(jail)), TIMEOUT);
        ctx.log(result.output().lines().reduce((first, last) -> last).orElse("resize2fs done"));
        long target = ctx.params().path("diskBytes").asLong();
        tx.executeWithoutResult(status -> {
            JailEntity fresh = jail(ctx);
            fresh.resized(target);
            jails().save(fresh);
        });
    }
}
