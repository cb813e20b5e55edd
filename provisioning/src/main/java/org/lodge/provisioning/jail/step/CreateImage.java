package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.unit.step.UnitStep;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.springframework.stereotype.Component;

/** The seed's "memory disk": a raw volume of exactly the requested size, its size the quota. */
@Component
public class CreateImage extends UnitStep {

    private final JailHost host;
    private final LibvirtXml xml;

    public CreateImage(UnitRepository jails, JailHost host, LibvirtXml xml) {
        super(jails);
        this.host = host;
        this.xml = xml;
    }

    @Override
    public String name() {
        return "disk-image";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity jail = unit(ctx);
        // libvirt's look-ups (pool, volume) only when a file is there to find: a new jail's is not.
        Optional<StorageVol> existing = Files.exists(host.image(jail.libvirtName())) ? host.volume(jail) : Optional.empty();
        if (existing.isPresent()) {
            if (existing.get().getInfo().capacity != jail.diskBytes()) {
                existing.get().delete(0);
            } else {
                ctx.log("image " + existing.get().getPath() + " already there");
                return;
            }
        }
        try {
            StorageVol volume = host.pool().storageVolCreateXML(xml.render("raw-volume",
                    Map.of("name", JailHost.volumeName(jail), "capacity", jail.diskBytes())), 0);
            ctx.log("raw image " + volume.getPath() + " of " + volume.getInfo().capacity + " bytes created");
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("creating the image", e);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException, java.io.IOException {
        Optional<UnitEntity> jail = unitIfPresent(ctx);
        if (jail.isPresent()) {
            host.unmount(jail.get());
            Optional<StorageVol> volume = host.volume(jail.get());
            if (volume.isPresent()) {
                volume.get().delete(0);
                ctx.log("image deleted");
            }
        }
    }
}
