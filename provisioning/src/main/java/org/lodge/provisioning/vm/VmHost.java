package org.lodge.provisioning.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.lodge.provisioning.libvirt.DomainListing.Listed;
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

    private static final String DISK_SUFFIX = ".qcow2";

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
    public Optional<Domain> domain(String libvirtName) {
        try {
            return Optional.of(connection().domainLookupByName(libvirtName));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LibvirtErrors.classify("looking up " + libvirtName, e);
        }
    }

    @Override
    public String uri() {
        return props.uri();
    }

    @Override
    public UnitState observedState(String libvirtName, Listed domain) {
        return DomainStates.of(domain.state(), !domain.isActive() && statePath(libvirtName).toFile().exists());
    }

    /**
     * What the guest wrote to its disk beyond the template: the length of its qcow2 overlay
     * (qcow2 appends a cluster the first time the guest writes to it). Read from the file, not
     * through libvirt, so that the state sync costs no libvirt call per VM.
     */
    @Override
    public Long diskUsed(String libvirtName, Listed domain) {
        // java.io.File answers 0 for a missing file instead of throwing (cheap at thousands of VMs).
        long length = volumePath(libvirtName + DISK_SUFFIX).toFile().length();
        return length == 0 ? null : length;
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
        return vm.libvirtName() + DISK_SUFFIX;
    }

    public static String seedName(UnitEntity vm) {
        return vm.libvirtName() + "-seed.img";
    }

    public Path volumePath(String name) {
        return Path.of(props.storageDir(), name);
    }

    /** Where "save" writes the VM's memory; not a pool volume (libvirt writes it itself). */
    public Path statePath(UnitEntity vm) {
        return statePath(vm.libvirtName());
    }

    public Path statePath(String libvirtName) {
        return Path.of(props.storageDir(), "saved", libvirtName + ".state");
    }
}
