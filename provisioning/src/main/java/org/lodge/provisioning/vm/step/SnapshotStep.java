package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.libvirt.DomainStates;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.VmSnapshots;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, reverts to or deletes the snapshot named in the job, then rewrites the portal's list. */
public class SnapshotStep extends VmStep {

    public enum Mode { CREATE, REVERT, DELETE }

    private final Mode mode;
    private final VmSnapshots snapshots;
    private final LibvirtXml xml;

    public SnapshotStep(UnitRepository units, VmHost host, TransactionTemplate tx, VmSnapshots snapshots,
                        LibvirtXml xml, Mode mode) {
        super(units, host, tx);
        this.snapshots = snapshots;
        this.xml = xml;
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode.name().toLowerCase() + "-snapshot";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        Domain domain = domain(vm);
        String name = ctx.params().path("snapshot").asText();
        boolean exists = Arrays.asList(domain.snapshotListNames()).contains(name);
        switch (mode) {
            case CREATE -> {
                if (exists) {
                    ctx.log("snapshot " + name + " already taken");
                } else {
                    domain.snapshotCreateXML(xml.render("snapshot", Map.of("name", name,
                            "description", "taken by Lodge job " + ctx.jobId())));
                    ctx.log("snapshot " + name + " taken (disk" + (DomainStates.isActive(domain) ? " and memory" : "") + ")");
                }
            }
            case REVERT -> {
                if (!exists) {
                    throw new IllegalStateException("snapshot " + name + " does not exist in libvirt");
                }
                domain.revertToSnapshot(domain.snapshotLookupByName(name));
                ctx.log("reverted to snapshot " + name + "; the VM is " + (DomainStates.isActive(domain) ? "running" : "off"));
                // No state step follows a revert: record here what the VM became.
                update(ctx, v -> v.changeState(host.observedState(v)));
            }
            case DELETE -> {
                if (exists) {
                    domain.snapshotLookupByName(name).delete(0);
                    ctx.log("snapshot " + name + " deleted");
                } else {
                    ctx.log("snapshot " + name + " already gone");
                }
            }
        }
        rewriteList(vm, domain);
    }

    /** The portal's copy of the list, as libvirt has it now. */
    private void rewriteList(UnitEntity vm, Domain domain) throws LibvirtException {
        snapshots.list(vm.id()).forEach(s -> snapshots.forget(vm.id(), s.name()));
        for (String name : domain.snapshotListNames()) {
            XmlQuery snapshot = XmlQuery.of(domain.snapshotLookupByName(name).getXMLDesc());
            String created = snapshot.text("/domainsnapshot/creationTime");
            snapshots.record(vm.id(), name, created.isEmpty() ? Instant.now()
                    : Instant.ofEpochSecond(Long.parseLong(created)), snapshot.text("/domainsnapshot/state"));
        }
    }
}
