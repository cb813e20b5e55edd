package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.VmExports;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports the stopped VM's disk as a standalone image (the template's base folded in) in the
 * asked format: libvirt copies the volume into a new one of that format (it converts with qemu-img).
 */
@Component
public class ExportDisk extends VmStep {

    private final LibvirtXml xml;
    private final VmExports exports;

    public ExportDisk(UnitRepository units, VmHost host, TransactionTemplate tx, LibvirtXml xml, VmExports exports) {
        super(units, host, tx);
        this.xml = xml;
        this.exports = exports;
    }

    @Override
    public String name() {
        return "export-disk";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(30);
    }

    static String volumeName(UnitEntity vm, JobContext ctx) {
        return vm.libvirtName() + "-export-" + ctx.jobId().toString().substring(0, 8) + "."
                + ctx.params().path("format").asText();
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        String format = ctx.params().path("format").asText();
        if (DomainStates.isActive(domain(vm))) {
            throw new IllegalStateException(vm.domain() + " was started meanwhile: stop it to export its disk");
        }
        String name = volumeName(vm, ctx);
        Optional<StorageVol> done = host.volume(name);
        StorageVol export;
        if (done.isPresent()) {
            export = done.get();
        } else {
            StorageVol disk = host.volume(VmHost.diskName(vm)).orElseThrow(() ->
                    new IllegalStateException("the disk of " + vm.domain() + " is missing"));
            try {
                export = host.pool().storageVolCreateXMLFrom(xml.render("image-volume", Map.of("name", name,
                        "capacity", vm.diskBytes(), "format", format)), disk, 0);
            } catch (LibvirtException e) {
                throw LibvirtErrors.classify("exporting the disk of " + vm.domain(), e);
            }
        }
        long bytes = host.volumePath(name).toFile().length();
        exports.record(ctx.jobId(), vm.id(), format, export.getPath(), bytes);
        ctx.log("disk exported as " + format + " to " + name + " (" + DiskSize.ofBytes(Math.max(bytes, 1)).human()
                + " on disk); download it from the VM's page");
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        deleteVolume(ctx, vm -> volumeName(vm, ctx));
    }
}
