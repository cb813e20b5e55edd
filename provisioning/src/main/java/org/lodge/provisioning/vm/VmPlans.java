package org.lodge.provisioning.vm;

import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.backup.vm.DropPreviousDisk;
import org.lodge.provisioning.backup.vm.StopForRestore;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.VmSnapshots;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.MarkState;
import org.lodge.provisioning.unit.step.UnitStateMarks;
import org.lodge.provisioning.unit.step.ReserveAddress;
import org.lodge.provisioning.unit.step.TestFtp;
import org.lodge.provisioning.unit.step.TestHttp;
import org.lodge.provisioning.vm.step.CloneDisk;
import org.lodge.provisioning.vm.step.CopyDisk;
import org.lodge.provisioning.vm.step.DefineVm;
import org.lodge.provisioning.vm.step.DeleteVm;
import org.lodge.provisioning.vm.step.DomainCall;
import org.lodge.provisioning.vm.step.ExportDisk;
import org.lodge.provisioning.vm.step.ForgetDiskSnapshots;
import org.lodge.provisioning.vm.step.GrowVmDisk;
import org.lodge.provisioning.vm.step.ReinstallVmDisk;
import org.lodge.provisioning.vm.step.ResizeVm;
import org.lodge.provisioning.vm.step.RestoreVm;
import org.lodge.provisioning.vm.step.SaveVm;
import org.lodge.provisioning.vm.step.ShutdownVm;
import org.lodge.provisioning.vm.step.SnapshotStep;
import org.lodge.provisioning.vm.step.StartVm;
import org.lodge.provisioning.vm.step.WriteSeed;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Every VM job as its ordered list of steps. */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class VmPlans {

    private final UnitRepository units;
    private final TransactionTemplate tx;
    private final UnitStateMarks marks;
    private final VmHost host;
    private final VmSnapshots snapshots;
    private final LibvirtXml xml;
    /** Waits for the guest to boot and answer HTTP with its domain: the proof it is ready. */
    private final TestHttp guestReady;
    /** A clone's guest serves the site it copied: any page will do, the FTP test proves the rest. */
    private final TestHttp cloneReady;

    public VmPlans(UnitRepository units, TransactionTemplate tx, UnitStateMarks marks, VmHost host,
                   VmSnapshots snapshots, LibvirtXml xml, ServiceProbe probe, NodeProperties node) {
        this.units = units;
        this.tx = tx;
        this.marks = marks;
        this.host = host;
        this.snapshots = snapshots;
        this.xml = xml;
        this.guestReady = new TestHttp(units, probe, node.vm().bootTimeout(), true);
        this.cloneReady = new TestHttp(units, probe, node.vm().bootTimeout(), false);
    }

    private MarkState mark(UnitState state) {
        return marks.of(state);
    }

    private SnapshotStep snapshot(SnapshotStep.Mode mode) {
        return new SnapshotStep(units, host, tx, snapshots, xml, mode);
    }

    @Bean
    JobPlan createVmPlan(ReserveAddress reserve, CreateFtpAccount ftp, CloneDisk clone, WriteSeed seed,
                         DefineVm define, StartVm start, TestFtp ftpTest) {
        return new SimplePlan(JobKind.CREATE_VM,
                List.of(reserve, ftp, clone, seed, define, start, guestReady, ftpTest, mark(UnitState.RUNNING)));
    }

    /** As creation, but the disk is a full copy of another (stopped) VM's disk. */
    @Bean
    JobPlan cloneVmPlan(ReserveAddress reserve, CreateFtpAccount ftp, CopyDisk copy, WriteSeed seed,
                        DefineVm define, StartVm start, TestFtp ftpTest) {
        return new SimplePlan(JobKind.CLONE_VM,
                List.of(reserve, ftp, copy, seed, define, start, cloneReady, ftpTest, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan startVmPlan(StartVm start) {
        return new SimplePlan(JobKind.START_VM, List.of(start, guestReady, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan shutdownVmPlan(ShutdownVm shutdown) {
        return new SimplePlan(JobKind.SHUTDOWN_VM, List.of(shutdown, mark(UnitState.STOPPED)));
    }

    /** A cold reboot: ACPI shutdown (forced after the timeout), boot, and the guest proven ready again. */
    @Bean
    JobPlan rebootVmPlan(ShutdownVm shutdown, StartVm start) {
        return new SimplePlan(JobKind.REBOOT_VM, List.of(shutdown, start, guestReady, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan powerOffVmPlan() {
        return new SimplePlan(JobKind.POWER_OFF_VM, List.of(DomainCall.powerOff(units, host, tx),
                mark(UnitState.STOPPED)));
    }

    @Bean
    JobPlan suspendVmPlan() {
        return new SimplePlan(JobKind.SUSPEND_VM, List.of(DomainCall.suspend(units, host, tx), mark(UnitState.PAUSED)));
    }

    @Bean
    JobPlan resumeVmPlan() {
        return new SimplePlan(JobKind.RESUME_VM, List.of(DomainCall.resume(units, host, tx), mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan saveVmPlan(SaveVm save) {
        return new SimplePlan(JobKind.SAVE_VM, List.of(save, mark(UnitState.SAVED)));
    }

    @Bean
    JobPlan restoreVmPlan(RestoreVm restore) {
        return new SimplePlan(JobKind.RESTORE_VM, List.of(restore, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan createVmSnapshotPlan() {
        return new SimplePlan(JobKind.CREATE_VM_SNAPSHOT, List.of(snapshot(SnapshotStep.Mode.CREATE)));
    }

    @Bean
    JobPlan revertVmSnapshotPlan() {
        return new SimplePlan(JobKind.REVERT_VM_SNAPSHOT, List.of(snapshot(SnapshotStep.Mode.REVERT)));
    }

    @Bean
    JobPlan deleteVmSnapshotPlan() {
        return new SimplePlan(JobKind.DELETE_VM_SNAPSHOT, List.of(snapshot(SnapshotStep.Mode.DELETE)));
    }

    @Bean
    JobPlan growVmDiskPlan(GrowVmDisk grow) {
        return new SimplePlan(JobKind.GROW_VM_DISK, List.of(grow));
    }

    @Bean
    JobPlan resizeVmPlan(ResizeVm resize) {
        return new SimplePlan(JobKind.RESIZE_VM, List.of(resize));
    }

    @Bean
    JobPlan exportVmPlan(ExportDisk export) {
        return new SimplePlan(JobKind.EXPORT_VM, List.of(export));
    }

    /**
     * The disk made again from a template of the catalogue, keeping domain, IPv4, MAC, shape and disk
     * size, with a new seed and FTP password, proven as a creation is (welcome page, FTP login). The
     * previous disk and seed stay aside until then (the in-place restore's stop, swap and drop), so a
     * failure leaves the VM as it was, started again if it ran; its snapshots belonged to that disk.
     */
    @Bean
    JobPlan reinstallVmPlan(StopForRestore stop, CreateFtpAccount ftp, ReinstallVmDisk reinstall, WriteSeed seed,
                            StartVm start, TestFtp ftpTest, ForgetDiskSnapshots forget, DropPreviousDisk drop) {
        return new SimplePlan(JobKind.REINSTALL_VM, List.of(stop, ftp, reinstall, seed, start, guestReady, ftpTest,
                forget, drop, mark(UnitState.RUNNING)));
    }

    @Bean
    JobPlan deleteVmPlan(DeleteVm delete) {
        return new SimplePlan(JobKind.DELETE_VM, List.of(mark(UnitState.DELETING), delete));
    }
}
