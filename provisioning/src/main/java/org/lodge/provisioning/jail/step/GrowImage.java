package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.unit.step.UnitStep;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.springframework.stereotype.Component;

/** Enlarges the stopped jail's image to the size the job asks for (libvirt volume resize). */
@Component
public class GrowImage extends UnitStep {

    private final JailHost host;

    public GrowImage(UnitRepository jails, JailHost host) {
        super(jails);
        this.host = host;
    }

    @Override
    public String name() {
        return "grow-image";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity jail = unit(ctx);
        long target = ctx.params().path("diskBytes").asLong();
        StorageVol volume = host.volume(jail).orElseThrow(() -> new IllegalStateException("the image is missing"));
        long capacity = volume.getInfo().capacity;
        if (capacity >= target) {
            ctx.log("image already " + capacity + " bytes");
            return;
        }
        try {
            volume.resize(target, 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("resizing the image", e);
        }
        ctx.log("image grown from " + capacity + " to " + volume.getInfo().capacity + " bytes");
    }
}
