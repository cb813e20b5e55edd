package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.jail.step.BuildRootFilesystem;
import org.lodge.provisioning.jail.step.CreateImage;
import org.lodge.provisioning.jail.step.DefineDomain;
import org.lodge.provisioning.jail.step.StartJail;
import org.lodge.provisioning.jail.step.StopJail;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.lodge.provisioning.job.Step;
import org.lodge.provisioning.unit.step.UnitStateMarks;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.ReserveAddress;
import org.lodge.provisioning.unit.step.TestFtp;
import org.lodge.provisioning.unit.step.TestHttp;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Backup and restore of a jail as jobs (docs/backups.md). */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class BackupPlans {

    @Bean
    JobPlan backupJailPlan(NothingWritten nothingWritten, CaptureJail capture, JailSnapshots copy, BackupSteps steps,
                           IndexBackupFiles index, ApplyRetention retention) {
        return new SimplePlan(JobKind.BACKUP_JAIL, List.of(nothingWritten, steps.unlessNothingWritten(capture),
                steps.unlessNothingWritten(steps.backup(copy)), steps.unlessNothingWritten(steps.check(copy)),
                steps.unlessNothingWritten(steps.verify(copy)), index,
                steps.unlessNothingWritten(steps.release(copy, "release-copy", "frozen copy unmounted and deleted")),
                retention));
    }

    /**
     * The node's weekly backup job: the backups of units deleted long enough ago expire, then the
     * re-verification, KO when a backup no longer restores (those backups are KO too).
     */
    @Bean
    JobPlan verifyBackupsPlan(BackupExpiry expiry, BackupReverifier reverifier, NodeProperties node) {
        return new SimplePlan(JobKind.VERIFY_BACKUPS, List.of(new Step() {
            @Override
            public String name() {
                return "reverify-backups";
            }

            @Override
            public Duration timeout() {
                return Duration.ofHours(12);
            }

            @Override
            public void execute(JobContext ctx) throws IOException {
                ctx.log(expiry.expire(node.name(), Instant.now(), ctx::log) + " backup(s) of deleted units expired");
                BackupReverifier.Result result = reverifier.reverify(node.name(), ctx::log);
                ctx.log(result.restored() + " backup(s) restore and read back, " + result.failed() + " do not; "
                        + result.indexed() + " indexed for browsing");
                if (result.failed() > 0) {
                    throw new IllegalStateException(result.failed() + " backup(s) no longer restore; they are marked KO");
                }
            }
        }));
    }

    /** One backup deleted by hand (staff): forgotten and pruned from the node's repository, then its row. */
    @Bean
    JobPlan deleteBackupPlan(DeleteBackup delete) {
        return new SimplePlan(JobKind.DELETE_BACKUP, List.of(delete));
    }

    /**
     * A new jail from a backup: created like any jail, then the backup's web root copied in before
     * it is defined; HTTP must answer 200 (the site replaced the welcome page), FTP as always.
     */
    @Bean
    JobPlan restoreNewJailPlan(UnitRepository units, ReserveAddress reserve, CreateFtpAccount ftp, CreateImage image,
                               BuildRootFilesystem rootfs, RestoreSite site, DefineDomain define, StartJail start,
                               ServiceProbe probe, TestFtp ftpTest, UnitStateMarks marks) {
        return new SimplePlan(JobKind.RESTORE_NEW_JAIL, List.of(reserve, ftp, image, rootfs, site, define, start,
                new TestHttp(units, probe, Duration.ofSeconds(15), false), ftpTest,
                marks.of(UnitState.RUNNING)));
    }

    /** The customer's site may have replaced the welcome page: HTTP must answer 200, not name the domain. */
    @Bean
    JobPlan restoreJailPlan(UnitRepository units, StopJail stop, CreateFtpAccount ftp, RestoreJailImage restore,
                            StartJail start, ServiceProbe probe, TestFtp ftpTest, DropPreviousImage drop,
                            UnitStateMarks marks) {
        return new SimplePlan(JobKind.RESTORE_JAIL, List.of(stop, ftp, restore, start,
                new TestHttp(units, probe, Duration.ofSeconds(15), false), ftpTest, drop,
                marks.of(UnitState.RUNNING)));
    }
}
