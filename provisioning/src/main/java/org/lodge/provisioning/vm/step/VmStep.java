package org.lodge.provisioning.vm.step;

import java.util.Optional;
import java.util.function.Function;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.libvirt.Domain;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.transaction.support.TransactionTemplate;

/** A step on the job's VM: its libvirt domain through {@link VmHost}, its row saved in a transaction. */
abstract class VmStep extends UnitStep {

    final VmHost host;
    private final TransactionTemplate tx;

    VmStep(UnitRepository units, VmHost host, TransactionTemplate tx) {
        super(units);
        this.host = host;
        this.tx = tx;
    }

    Domain domain(UnitEntity vm) {
        return host.domain(vm).orElseThrow(() -> new IllegalStateException("VM " + vm.libvirtName()
                + " is not defined in libvirt"));
    }

    /** Changes and saves the VM's row. */
    void update(JobContext ctx, java.util.function.Consumer<UnitEntity> change) {
        tx.executeWithoutResult(status -> {
            UnitEntity vm = unit(ctx);
            change.accept(vm);
            units().save(vm);
        });
    }

    /** Compensation of a step that made a volume: deletes it if it is there. */
    void deleteVolume(JobContext ctx, Function<UnitEntity, String> volumeName) throws LibvirtException {
        Optional<UnitEntity> vm = unitIfPresent(ctx);
        Optional<StorageVol> volume = vm.flatMap(v -> host.volume(volumeName.apply(v)));
        if (volume.isPresent()) {
            volume.get().delete(0);
            ctx.log("volume " + volumeName.apply(vm.get()) + " deleted");
        }
    }

    Optional<Domain> domainIfDefined(JobContext ctx) {
        return unitIfPresent(ctx).flatMap(host::domain);
    }
}
