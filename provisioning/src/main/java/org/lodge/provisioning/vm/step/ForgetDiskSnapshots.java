package org.lodge.provisioning.vm.step;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.VmSnapshots;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a reinstall passed its proofs: the VM's snapshots are internal to its previous disk (qcow2
 * snapshots), so they are deleted from libvirt as metadata only, their data going with that disk
 * when it is dropped next. Until then a failed reinstall puts the disk back with its snapshots intact.
 */
@Component
public class ForgetDiskSnapshots extends VmStep {

    /** VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY: the new disk has no such snapshot to delete. */
    private static final int METADATA_ONLY = 2;

    private final VmSnapshots snapshots;

    public ForgetDiskSnapshots(UnitRepository units, VmHost host, TransactionTemplate tx, VmSnapshots snapshots) {
        super(units, host, tx);
        this.snapshots = snapshots;
    }

    @Override
    public String name() {
        return "forget-snapshots";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        String[] names = domain.snapshotListNames();
        for (String name : names) {
            domain.snapshotLookupByName(name).delete(METADATA_ONLY);
        }
        snapshots.list(vm.id()).forEach(s -> snapshots.forget(vm.id(), s.name()));
        ctx.log(names.length == 0 ? "no snapshots to delete"
                : names.length + " snapshot(s) of the previous disk deleted: " + String.join(", ", names));
    }
}
