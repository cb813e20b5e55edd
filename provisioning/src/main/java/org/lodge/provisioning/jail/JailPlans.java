package org.lodge.provisioning.jail;

import org.lodge.provisioning.unit.UnitRepository;
import java.util.List;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.jail.step.BuildRootFilesystem;
import org.lodge.provisioning.jail.step.CheckFilesystem;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.jail.step.CreateImage;
import org.lodge.provisioning.jail.step.DefineDomain;
import org.lodge.provisioning.jail.step.DeleteJail;
import org.lodge.provisioning.jail.step.GrowFilesystem;
import org.lodge.provisioning.jail.step.GrowImage;
import org.lodge.provisioning.unit.step.MarkState;
import org.lodge.provisioning.unit.step.UnitStateMarks;
import org.lodge.provisioning.unit.step.ReserveAddress;
import org.lodge.provisioning.jail.step.StartJail;
import org.lodge.provisioning.jail.step.StopJail;
import org.lodge.provisioning.jail.step.SetJailFtpPassword;
import org.lodge.provisioning.jail.step.ForgetOldFtpPassword;
import org.lodge.provisioning.jail.step.TestPhp;
import org.lodge.provisioning.jail.step.ReinstallJailImage;
import org.lodge.provisioning.backup.DropPreviousImage;
import org.lodge.provisioning.unit.step.TestFtp;
import org.lodge.provisioning.unit.step.TestHttp;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.lodge.provisioning.unit.ServiceProbe;
import java.time.Duration;
import org.lodge.provisioning.job.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every jail job as its ordered list of steps. */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class JailPlans {

    private static final Duration HTTP_PATIENCE = Duration.ofSeconds(15);

    private final UnitRepository jails;
    private final UnitStateMarks marks;
    private final JailHost host;
    private final TestHttp http;

    public JailPlans(UnitRepository jails, UnitStateMarks marks, JailHost host, ServiceProbe probe) {
        this.jails = jails;
        this.marks = marks;
        this.host = host;
        this.http = new TestHttp(jails, probe, HTTP_PATIENCE, true);
    }

    private MarkState mark(UnitState state) {
        return marks.of(state);
    }

    @Bean
    JobPlan createJailPlan(ReserveAddress reserve, CreateFtpAccount ftp, CreateImage image, BuildRootFilesystem rootfs,
                       DefineDomain define, StartJail start, TestPhp php, TestFtp ftpTest) {
        return new SimplePlan(JobKind.CREATE_JAIL,
                List.of(reserve, ftp, image, rootfs, define, start, http, php, ftpTest, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan startJailPlan(StartJail start) {
        return new SimplePlan(JobKind.START_JAIL, List.of(start, http, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan stopJailPlan(StopJail stop) {
        return new SimplePlan(JobKind.STOP_JAIL, List.of(stop, mark(UnitState.STOPPED)));
    }

    @Bean
    JobPlan restartJailPlan(StopJail stop, StartJail start) {
        return new SimplePlan(JobKind.RESTART_JAIL, List.of(stop, start, http, mark(UnitState.RUNNING)));
    }

    /** A new FTP password: chosen, put in place, proven by a real login, the old one refused and forgotten. */
    @Bean
    JobPlan resetJailFtpPasswordPlan(CreateFtpAccount ftp, SetJailFtpPassword set, TestFtp ftpTest,
                                     ForgetOldFtpPassword forget) {
        return new SimplePlan(JobKind.RESET_JAIL_FTP_PASSWORD, List.of(ftp, set, ftpTest, forget));
    }

    /**
     * The site reset to a template (the jail's own or another that fits), keeping domain, address
     * and disk size: the same proofs as a creation, a new FTP password; the previous image stays
     * aside until they pass, so a failure leaves the jail as it was.
     */
    @Bean
    JobPlan reinstallJailPlan(StopJail stop, CreateFtpAccount ftp, ReinstallJailImage reinstall, StartJail start,
                              TestPhp php, TestFtp ftpTest, DropPreviousImage drop) {
        return new SimplePlan(JobKind.REINSTALL_JAIL,
                List.of(stop, ftp, reinstall, start, http, php, ftpTest, drop, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan deleteJailPlan(StopJail stop, DeleteJail delete) {
        return new SimplePlan(JobKind.DELETE_JAIL, List.of(mark(UnitState.DELETING), stop, delete));
    }

    @Bean
    JobPlan growJailDiskPlan(StopJail stop, GrowImage grow, HostCommands commands,
                         GrowFilesystem resize, StartJail start) {
        return new SimplePlan(JobKind.GROW_JAIL_DISK, List.of(stop, grow, new CheckFilesystem(jails, host, commands, true),
                resize, start, http, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan checkJailFilesystemPlan(StopJail stop, HostCommands commands, StartJail start) {
        return new SimplePlan(JobKind.CHECK_JAIL_FILESYSTEM, List.of(stop, new CheckFilesystem(jails, host, commands, false),
                start, http, mark(UnitState.RUNNING)));
    }
}
