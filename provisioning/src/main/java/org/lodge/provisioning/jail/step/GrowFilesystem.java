package org.lodge.provisioning.jail.step;

import java.util.List;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** resize2fs to fill the grown image (offline: ext4 cannot grow online here), then record the size. */
@Component
public class GrowFilesystem extends OfflineImageStep {

    private final TransactionTemplate tx;

    public GrowFilesystem(UnitRepository jails, JailHost host, HostCommands commands, TransactionTemplate tx) {
        super(jails, host, commands);
        this.tx = tx;
    }

    @Override
    public String name() {
        return "resize2fs";
    }

    @Override
    public void execute(JobContext ctx) {
        HostCommands.Result result = commands.runChecked(Program.RESIZE2FS, List.of(offlineImage(unit(ctx))), TIMEOUT);
        ctx.log(result.output().isBlank() ? "resize2fs done" : lastLine(result));
        long target = ctx.params().path("diskBytes").asLong();
        tx.executeWithoutResult(status -> {
            UnitEntity fresh = unit(ctx);
            fresh.resized(target);
            units().save(fresh);
        });
    }
}
