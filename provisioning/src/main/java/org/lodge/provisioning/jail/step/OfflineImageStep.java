package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.unit.step.UnitStep;
import java.time.Duration;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;

/** A host tool (e2fsck, resize2fs) run on a stopped jail's unmounted image. */
abstract class OfflineImageStep extends UnitStep {

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    final JailHost host;
    final HostCommands commands;

    OfflineImageStep(UnitRepository jails, JailHost host, HostCommands commands) {
        super(jails);
        this.host = host;
        this.commands = commands;
    }

    @Override
    public Duration timeout() {
        return TIMEOUT;
    }

    /** The image of a stopped jail, refused while the jail runs or its image is mounted. */
    String offlineImage(UnitEntity jail) {
        if (host.isRunning(jail) || host.isMounted(jail)) {
            throw new IllegalStateException("the jail must be stopped and its image unmounted for " + name());
        }
        return host.imagePath(jail);
    }

    static String lastLine(HostCommands.Result result) {
        return result.output().lines().reduce((first, last) -> last).orElse("");
    }
}
