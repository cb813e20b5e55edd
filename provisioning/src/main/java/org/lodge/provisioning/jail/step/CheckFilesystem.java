package org.lodge.provisioning.jail.step;

import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;

/**
 * e2fsck on the stopped jail's image. In repair mode it fixes what is safe to fix (exit 1 means
 * "corrected"); in check mode it only reports, and any problem fails the job.
 */
public class CheckFilesystem extends OfflineImageStep {

    private final boolean repair;

    public CheckFilesystem(UnitRepository jails, JailHost host, HostCommands commands, boolean repair) {
        super(jails, host, commands);
        this.repair = repair;
    }

    @Override
    public String name() {
        return repair ? "e2fsck-repair" : "e2fsck-check";
    }

    @Override
    public void execute(JobContext ctx) {
        String image = offlineImage(unit(ctx));
        HostCommands.Result result = repair
                ? commands.runChecked(Program.E2FSCK, List.of("-f", "-p", image), TIMEOUT, 0, 1)
                : commands.runChecked(Program.E2FSCK, List.of("-f", "-n", image), TIMEOUT, 0);
        ctx.log("e2fsck exit " + result.exitCode() + (result.exitCode() == 1 ? " (errors corrected)" : " (clean)")
                + ": " + lastLine(result));
    }
}
