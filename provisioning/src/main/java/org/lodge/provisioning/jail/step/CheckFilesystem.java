package org.lodge.provisioning.jail.step;

import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.job.JobContext;

/**
 * e2fsck on the stopped jail's image. In repair mode it fixes what is safe to fix (exit 1 means
 * "corrected"); in check mode it only reports, and any problem fails the job.
 */
public class CheckFilesystem extends JailStep {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final JailHost host;
    private final HostCommands commands;
    private final boolean repair;

    public CheckFilesystem(JailRepository jails, JailHost host, HostCommands commands, boolean repair) {
        super(jails);
        this.host = host;
        this.commands = commands;
        this.repair = repair;
    }

    @Override
    public String name() {
        return repair ? "e2fsck-repair" : "e2fsck-check";
    }

    @Override
    public Duration timeout() {
        return TIMEOUT;
    }

    @Override
    public void execute(JobContext ctx) {
        JailEntity jail = jail(ctx);
        if (host.isRunning(jail) || host.isMounted(jail)) {
            throw new IllegalStateException("the jail must be stopped and its image unmounted for e2fsck");
        }
        String image = host.imagePath(jail);
        HostCommands.Result result = repair
                ? commands.runChecked(Program.E2FSCK, List.of("-f", "-p", image), TIMEOUT, 0, 1)
                : commands.runChecked(Program.E2FSCK, List.of("-f", "-n", image), TIMEOUT, 0);
        String summary = result.output().lines().reduce((first, last) -> last).orElse("");
        ctx.log("e2fsck exit " + result.exitCode() + (result.exitCode() == 1 ? " (errors corrected)" : " (clean)")
                + ": " + summary);
    }
}
