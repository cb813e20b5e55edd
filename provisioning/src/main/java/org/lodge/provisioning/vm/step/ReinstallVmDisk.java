package org.lodge.provisioning.vm.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmDefinitions;
import org.lodge.provisioning.vm.VmDiskSwap;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.provisioning.vm.VmTemplates;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the stopped VM's disk again from a template: libvirt makes a new linked clone of the
 * template's base image (the disk's size) beside the disk as {@code .restoring}; the seed and then
 * the disk are renamed aside as {@code .pre-restore}, marked as this job's, and the new disk into
 * place, renames in the pool's directory as the in-place restore does ({@link VmDiskSwap}). The unit records
 * the template and version and its domain is defined again (the kernel and initrd are the
 * template's; name, UUID, MAC and shape stay). The next step writes a new seed. Undone by putting
 * the previous disk, seed, template and definition back; the previous disk and seed are deleted
 * only after the proofs passed.
 */
@Component
public class ReinstallVmDisk extends VmStep {

    private final VmTemplates templates;
    private final VmDefinitions definitions;
    private final LibvirtXml xml;

    public ReinstallVmDisk(UnitRepository units, VmHost host, TransactionTemplate tx, VmTemplates templates,
                           VmDefinitions definitions, LibvirtXml xml) {
        super(units, host, tx);
        this.templates = templates;
        this.definitions = definitions;
        this.xml = xml;
    }

    @Override
    public String name() {
        return "reinstall-disk";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void execute(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unit(ctx);
        VmDiskSwap swap = VmDiskSwap.of(host, vm, ctx.jobId());
        if (swap.swapped()) {
            ctx.log(JobWords.VM_ALREADY_REINSTALLED.with(vm.template(), vm.templateVersion()));
            define(vm);
            return;
        }
        if (DomainStates.isActive(domain(vm))) {
            throw new IllegalStateException(vm.domain() + " is running: its disk cannot be replaced");
        }
        String name = ctx.params().path("template").asText();
        VmTemplates.Template template = templates.find(name).orElseThrow(() ->
                new IllegalStateException("template " + name + " is missing on this node"));
        Path fresh = swap.fresh();
        if (Files.deleteIfExists(fresh)) {
            host.pool().refresh(0); // an earlier run's unfinished clone, made again below
        }
        try {
            host.pool().storageVolCreateXML(xml.render("overlay-volume", Map.of("name", fresh.getFileName().toString(),
                    "capacity", vm.diskBytes(), "backing", template.baseImage().toString())), 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("cloning " + template.baseImage(), e);
        }
        swap.swapIn();
        host.pool().refresh(0);
        units().recordTemplate(vm.id(), template.name(), template.version(), vm.memoryMib());
        define(unit(ctx));
        ctx.log(JobWords.VM_REINSTALLED.with(template.name(), template.version(), DiskSize.ofBytes(vm.diskBytes()).human()));
    }

    /** The domain's definition for the unit's template as recorded now (libvirt replaces the persistent one). */
    private void define(UnitEntity vm) {
        try {
            host.connection().domainDefineXML(definitions.render(vm));
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("defining " + vm.libvirtName() + " again", e);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws IOException, LibvirtException {
        UnitEntity vm = unitIfPresent(ctx).orElse(null);
        if (vm == null) {
            return;
        }
        Optional<Domain> domain = host.domain(vm);
        if (domain.isPresent() && DomainStates.isActive(domain.get())) {
            domain.get().destroy();
        }
        ctx.log(VmDiskSwap.of(host, vm, ctx.jobId()).putBack());
        host.pool().refresh(0);
        JsonNode from = ctx.params().path("from");
        if (from.hasNonNull("template")) {
            units().recordTemplate(vm.id(), from.get("template").asText(),
                    from.hasNonNull("version") ? from.get("version").asText() : null, vm.memoryMib());
            if (domain.isPresent()) {
                define(unit(ctx));
            }
            ctx.log(JobWords.TEMPLATE_AGAIN.with(from.get("template").asText()));
        }
    }
}
