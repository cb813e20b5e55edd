package org.lodge.provisioning.backup.vm;

import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.backup.ApplyRetention;
import org.lodge.provisioning.backup.BackupSteps;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.lodge.provisioning.unit.step.UnitStateMarks;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.ReserveAddress;
import org.lodge.provisioning.unit.step.TestFtp;
import org.lodge.provisioning.unit.step.TestHttp;
import org.lodge.provisioning.vm.step.DefineVm;
import org.lodge.provisioning.vm.step.StartVm;
import org.lodge.provisioning.vm.step.WriteSeed;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Backup and restore of a VM as jobs (docs/backups.md, "VMs"). */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class VmBackupPlans {

    @Bean
    JobPlan backupVmPlan(CaptureVm capture, VmBackupArea scratch, BackupSteps steps, ApplyRetention retention) {
        return new SimplePlan(JobKind.BACKUP_VM, List.of(capture, steps.backup(scratch), steps.check(scratch),
                steps.verify(scratch), steps.release(scratch, "release-scratch", "scratch image deleted"), retention));
    }

    /**
     * In place: the same proofs as a creation, with a new FTP password (in a new seed); any failure
     * puts the previous disk and seed back and starts the VM again if it was running.
     */
    @Bean
    JobPlan restoreVmBackupPlan(UnitRepository units, StopForRestore stop, CreateFtpAccount ftp,
                                RestoreVmDisk restore, WriteSeed seed, StartVm start, ServiceProbe probe,
                                NodeProperties node, TestFtp ftpTest, DropPreviousDisk drop, UnitStateMarks marks) {
        return new SimplePlan(JobKind.RESTORE_VM_BACKUP, List.of(stop, ftp, restore, seed, start,
                new TestHttp(units, probe, node.vm().bootTimeout(), false), ftpTest, drop,
                marks.of(UnitState.RUNNING)));
    }

    /** A new VM (its own domain, IPv4, seed and FTP password) whose disk is a backup's image. */
    @Bean
    JobPlan restoreNewVmPlan(UnitRepository units, ReserveAddress reserve, CreateFtpAccount ftp,
                             RestoreNewVmDisk disk, WriteSeed seed, DefineVm define, StartVm start,
                             ServiceProbe probe, NodeProperties node, TestFtp ftpTest, UnitStateMarks marks) {
        return new SimplePlan(JobKind.RESTORE_NEW_VM, List.of(reserve, ftp, disk, seed, define, start,
                new TestHttp(units, probe, node.vm().bootTimeout(), false), ftpTest,
                marks.of(UnitState.RUNNING)));
    }
}
