package org.lodge.provisioning.jail;

import java.util.List;
import org.lodge.provisioning.JailState;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.jail.step.BuildRootFilesystem;
import org.lodge.provisioning.jail.step.CheckFilesystem;
import org.lodge.provisioning.jail.step.CreateFtpAccount;
import org.lodge.provisioning.jail.step.CreateImage;
import org.lodge.provisioning.jail.step.DefineDomain;
import org.lodge.provisioning.jail.step.DeleteJail;
import org.lodge.provisioning.jail.step.GrowFilesystem;
import org.lodge.provisioning.jail.step.GrowImage;
import org.lodge.provisioning.jail.step.MarkState;
import org.lodge.provisioning.jail.step.ReserveAddress;
import org.lodge.provisioning.jail.step.StartJail;
import org.lodge.provisioning.jail.step.StopJail;
import org.lodge.provisioning.jail.step.TestFtp;
import org.lodge.provisioning.jail.step.TestHttp;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Every jail job as its ordered list of steps. */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class JailPlans {

    record Plan(JobKind kind, List<Step> steps) implements JobPlan {
    }

    private final JailRepository jails;
    private final TransactionTemplate tx;
    private final JailHost host;

    public JailPlans(JailRepository jails, TransactionTemplate tx, JailHost host) {
        this.jails = jails;
        this.tx = tx;
        this.host = host;
    }

    private MarkState mark(JailState state) {
        return new MarkState(jails, tx, host, state);
    }

    @Bean
    JobPlan createJailPlan(ReserveAddress reserve, CreateFtpAccount ftp, CreateImage image, BuildRootFilesystem rootfs,
                       DefineDomain define, StartJail start, TestHttp http, TestFtp ftpTest) {
        return new Plan(JobKind.CREATE_JAIL,
                List.of(reserve, ftp, image, rootfs, define, start, http, ftpTest, mark(JailState.RUNNING)));
    }

    @Bean
    JobPlan startJailPlan(StartJail start, TestHttp http) {
        return new Plan(JobKind.START_JAIL, List.of(start, http, mark(JailState.RUNNING)));
    }

    @Bean
    JobPlan stopJailPlan(StopJail stop) {
        return new Plan(JobKind.STOP_JAIL, List.of(stop, mark(JailState.STOPPED)));
    }

    @Bean
    JobPlan restartJailPlan(StopJail stop, StartJail start, TestHttp http) {
        return new Plan(JobKind.RESTART_JAIL, List.of(stop, start, http, mark(JailState.RUNNING)));
    }

    @Bean
    JobPlan deleteJailPlan(StopJail stop, DeleteJail delete) {
        return new Plan(JobKind.DELETE_JAIL, List.of(mark(JailState.DELETING), stop, delete));
    }

    @Bean
    JobPlan growJailDiskPlan(StopJail stop, GrowImage grow, HostCommands commands,
                         GrowFilesystem resize, StartJail start, TestHttp http) {
        return new Plan(JobKind.GROW_JAIL_DISK, List.of(stop, grow, new CheckFilesystem(jails, host, commands, true),
                resize, start, http, mark(JailState.RUNNING)));
    }

    @Bean
    JobPlan checkJailFilesystemPlan(StopJail stop, HostCommands commands, StartJail start, TestHttp http) {
        return new Plan(JobKind.CHECK_JAIL_FILESYSTEM, List.of(stop, new CheckFilesystem(jails, host, commands, false),
                start, http, mark(JailState.RUNNING)));
    }
}
