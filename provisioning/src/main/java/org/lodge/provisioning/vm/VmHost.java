package org.lodge.provisioning.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.unit.UnitDriver;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/** A VM's libvirt objects on this node: its QEMU domain, its disk and seed volumes, its state file. */
@Component
public class VmHost implements UnitDriver {

    private final LibvirtConnections libvirt;
    private final NodeProperties.Vm props;

    public VmHost(LibvirtConnections libvirt, NodeProperties node) {
        this.libvirt = libvirt;
        this.props = node.vm();
    }

    @Override
    public UnitKind kind() {
        return UnitKind.VM;
    }

    public Connect connection() {
        return libvirt.get(props.uri());
    }

    @Override
    public Optional<Domain> domain(UnitEntity vm) {
        try {
            return Optional.of(connection().domainLookupByName(vm.libvirtName()));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LibvirtErrors.classify("looking up " + vm.libvirtName(), e);
        }
    }

    @Override
    public UnitState observedState(UnitEntity vm) {
        return domain(vm).map(d -> DomainStates.of(DomainStates.stateOf(d), Files.exists(statePath(vm))))
                .orElse(UnitState.NOT_CONFIGURED);
    }

    /** What the guest wrote to its disk beyond the template (the overlay's allocation). */
    @Override
    public Long diskUsed(UnitEntity vm) {
        try {
            Optional<StorageVol> disk = volume(diskName(vm));
            return disk.isEmpty() ? null : disk.get().getInfo().allocation;
        } catch (LibvirtException e) {
            return null;
        }
    }

    public StoragePool pool() {
        try {
            return connection().storagePoolLookupByName(props.storagePool());
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("storage pool " + props.storagePool(), e);
        }
    }

    public Optional<StorageVol> volume(String name) {
        try {
            return Optional.of(pool().storageVolLookupByName(name));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LibvirtErrors.classify("looking up volume " + name, e);
        }
    }

    public static String diskName(UnitEntity vm) {
        return vm.libvirtName() + ".qcow2";
    }

    public static String seedName(UnitEntity vm) {
        return vm.libvirtName() + "-seed.img";
    }

    public Path volumePath(String name) {
        return Path.of(props.storageDir(), name);
    }

    /** Where "save" writes the VM's memory; not a pool volume (libvirt writes it itself). */
    public Path statePath(UnitEntity vm) {
        return Path.of(props.storageDir(), "saved", vm.libvirtName() + ".state");
    }
}
