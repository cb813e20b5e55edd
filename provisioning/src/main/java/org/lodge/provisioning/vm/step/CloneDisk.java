package org.lodge.provisioning.vm.step;

import java.util.Map;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.provisioning.vm.VmTemplates;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The VM's disk: a qcow2 overlay on the template's base image (a linked clone), of the requested size. */
@Component
public class CloneDisk extends VmStep {

    private final VmTemplates templates;
    private final LibvirtXml xml;

    public CloneDisk(UnitRepository units, VmHost host, TransactionTemplate tx, VmTemplates templates, LibvirtXml xml) {
        super(units, host, tx);
        this.templates = templates;
        this.xml = xml;
    }

    @Override
    public String name() {
        return "clone-disk";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        String name = VmHost.diskName(vm);
        if (host.volume(name).isPresent()) {
            ctx.log("disk " + name + " already cloned");
            return;
        }
        VmTemplates.Template template = templates.find(vm.template()).orElseThrow(() ->
                new IllegalStateException("template " + vm.template() + " is missing on this node"));
        try {
            host.pool().storageVolCreateXML(xml.render("overlay-volume", Map.of("name", name,
                    "capacity", vm.diskBytes(), "backing", template.baseImage().toString())), 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("cloning " + template.baseImage(), e);
        }
        ctx.log("linked clone " + name + " of template " + template.name() + " (qcow2 overlay on "
                + template.baseImage().getFileName() + "), " + DiskSize.ofBytes(vm.diskBytes()).human());
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        deleteVolume(ctx, VmHost::diskName);
    }
}
