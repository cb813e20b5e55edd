package org.lodge.provisioning.backup;

import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.TestHttp;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Single files and folders of a jail backup: restored in place, or archived for download (docs/backups.md). */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class BackupFilePlans {

    /** The previous versions are dropped only once the jail still answers HTTP (200: the site may be its own). */
    @Bean
    JobPlan restoreJailFilesPlan(UnitRepository units, RestoreJailFiles restore, ServiceProbe probe,
                                 DropRestoredAside drop) {
        return new SimplePlan(JobKind.RESTORE_JAIL_FILES, List.of(restore,
                new TestHttp(units, probe, Duration.ofSeconds(15), false), drop));
    }

    @Bean
    JobPlan downloadJailFilesPlan(ArchiveJailFiles archive) {
        return new SimplePlan(JobKind.DOWNLOAD_JAIL_FILES, List.of(archive));
    }
}
