package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.JailSnapshots;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.libvirt.GuestAgent;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/**
 * One point in time of a VM's disk as a standalone qcow2 in the scratch directory: a running VM
 * through libvirt's backup API in push mode (QEMU copies what the guest sees, the linked clone and
 * its base flattened, while the guest keeps running; its filesystems frozen through the guest agent
 * while the job starts), a stopped one by {@code qemu-img convert} of
 * its disk chain. Beside it the domain XML and the unit's facts; the NoCloud seed is left out.
 * Being the first step, its compensation (also of a cancelled step) stops libvirt's backup job,
 * deletes the scratch and records the backup as failed.
 */
@Component
public class CaptureVm extends UnitStep {

    /** VIR_DOMAIN_XML_INACTIVE: the persistent definition, not the running one's extras. */
    private static final int XML_INACTIVE = 2;
    /** virDomainJobType values (libvirt-java 0.5.4 exposes them as mutable statics). */
    private static final int JOB_NONE = 0;
    private static final int JOB_COMPLETED = 3;
    private static final int STATS_COMPLETED = 1;

    private final VmHost host;
    private final VmBackupArea area;
    private final VmBackupRows rows;
    private final Backups backups;
    private final ResticRepository restic;
    private final LibvirtXml xml;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final GuestAgent agent;
    private final VmFreezeProperties freeze;

    public CaptureVm(UnitRepository units, VmHost host, VmBackupArea area, VmBackupRows rows, Backups backups,
                     ResticRepository restic, LibvirtXml xml, com.fasterxml.jackson.databind.ObjectMapper json,
                     GuestAgent agent, VmFreezeProperties freeze) {
        super(units);
        this.agent = agent;
        this.freeze = freeze;
        this.host = host;
        this.area = area;
        this.rows = rows;
        this.backups = backups;
        this.restic = restic;
        this.xml = xml;
        this.json = json;
    }

    @Override
    public String name() {
        return "capture-disk";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(30);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException, InterruptedException {
        UnitEntity vm = unit(ctx);
        if (vm.kind() != UnitKind.VM) {
            throw new IllegalStateException(vm.domain() + " is not a VM");
        }
        backups.begin(ctx.jobId(), vm, restic.location(), Instant.now());
        Domain domain = host.domain(vm).orElseThrow(() -> new IllegalStateException("VM " + vm.libvirtName()
                + " is not defined in libvirt"));
        // A revived job: libvirt's backup job of the crashed run may still be going, its scratch still there.
        abortBackupJob(domain);
        area.release(vm);
        Path scratch = JailSnapshots.fresh(area.scratch(vm));
        Path image = scratch.resolve(VmBackupArea.IMAGE);
        boolean running = DomainStates.isActive(domain);
        long started = System.nanoTime();
        if (running) {
            Path pushed = scratch.resolve("push.qcow2");
            pushBackup(ctx, domain, pushed);
            long pushMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            // QEMU's backup job copies clusters in parallel, so their order in its qcow2 differs from
            // run to run and restic's chunks would never match; qemu-img convert writes in guest order.
            long converting = System.nanoTime();
            area.flatten(pushed, image);
            Files.delete(pushed);
            ctx.log("libvirt backup (push mode) of vda while the VM kept running: "
                    + DiskSize.ofBytes(Math.max(1, Files.size(image))).human() + " written in " + pushMs
                    + " ms, linked clone flattened; rewritten in guest order for deduplication in "
                    + Duration.ofNanos(System.nanoTime() - converting).toMillis() + " ms; NoCloud seed (vdb) not"
                    + " backed up");
        } else {
            area.flatten(host.volumePath(VmHost.diskName(vm)), image);
            ctx.log("VM stopped: disk chain flattened with qemu-img convert in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms ("
                    + DiskSize.ofBytes(Math.max(1, Files.size(image))).human() + "); NoCloud seed not backed up");
        }
        Files.writeString(scratch.resolve(VmBackupArea.DOMAIN_XML), domain.getXMLDesc(XML_INACTIVE));
        VmFacts facts = VmFacts.of(vm, running, VmBackupArea.sha256(image));
        Files.writeString(scratch.resolve(VmBackupArea.FACTS), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(facts));
        rows.facts(ctx.jobId(), facts);
        ctx.log("domain XML and facts stored beside the image (" + vm.domain() + ", " + vm.ipv4() + ", template "
                + vm.template() + ", " + vm.vcpus() + " vCPU, " + vm.memoryMib() + " MiB); image SHA-256 "
                + facts.imageSha256().substring(0, 16) + "…");
    }

    /**
     * Starts libvirt's push backup into {@code image} (which must not exist) and waits for its end.
     * The point in time is fixed when the job starts: the guest's filesystems are frozen (its dirty
     * pages written to its disk) just before and thawed as soon as the job runs.
     */
    private void pushBackup(JobContext ctx, Domain domain, Path image) throws LibvirtException, InterruptedException {
        String backupXml = xml.render("vm-backup", Map.of("target", image.toString()));
        if (freeze.enabled()) {
            try (GuestAgent.Freeze frozen = agent.freeze(host.connection(), domain, freeze.timeout())) {
                begin(domain, backupXml);
                frozen.close();
                logFreeze(ctx, frozen);
            }
        } else {
            begin(domain, backupXml);
            ctx.log("guest filesystems not frozen (lodge.backup.vm-freeze.enabled is false): the image is"
                    + " crash-consistent");
        }
        while (domain.getJobInfo().getType() != JOB_NONE) {
            Thread.sleep(100);
        }
        int outcome = domain.getJobStats(STATS_COMPLETED).type;
        if (outcome != JOB_COMPLETED || !Files.exists(image)) {
            throw new IllegalStateException("libvirt's backup job of " + domain.getName() + " did not complete"
                    + " (job type " + outcome + ")");
        }
    }

    private static void begin(Domain domain, String backupXml) throws LibvirtException {
        try {
            domain.backupBegin(backupXml, null, 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("starting the backup of " + domain.getName(), e);
        }
    }

    private void logFreeze(JobContext ctx, GuestAgent.Freeze frozen) {
        if (frozen.frozen()) {
            if (frozen.thawFailure() != null) {
                throw new IllegalStateException("the guest's filesystems were frozen and the thaw failed twice ("
                        + frozen.thawFailure() + "): the guest may still be frozen");
            }
            backups.frozen(ctx.jobId(), frozen.frozenMs());
            ctx.log("guest filesystems frozen through the guest agent for " + frozen.frozenMs() + " ms ("
                    + frozen.filesystems() + " frozen, synced first) while the backup job started");
        } else {
            ctx.log("guest agent not answering (" + frozen.failure() + "): the image is crash-consistent, as a"
                    + " power cut at that instant");
        }
    }

    /** Aborts a backup job still going and waits (bounded) until QEMU no longer writes its target. */
    private static void abortBackupJob(Domain domain) throws LibvirtException {
        if (DomainStates.isActive(domain) && domain.getJobInfo().getType() != JOB_NONE) {
            domain.abortJob();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (domain.getJobInfo().getType() != JOB_NONE && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void compensate(JobContext ctx) throws IOException, LibvirtException {
        Optional<UnitEntity> vm = unitIfPresent(ctx);
        if (vm.isPresent()) {
            Optional<Domain> domain = host.domain(vm.get());
            if (domain.isPresent()) {
                abortBackupJob(domain.get());
            }
            area.release(vm.get());
        }
        backups.failed(ctx.jobId());
    }
}
