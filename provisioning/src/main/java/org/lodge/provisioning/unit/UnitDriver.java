package org.lodge.provisioning.unit;

import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.libvirt.DomainListing.Listed;

/**
 * What the shared steps, the state sync and the doctor need from a kind of unit: its libvirt
 * connection and domain, the state it is in, and how full its disk is. Jails and VMs each have
 * one; their job plans are their own (JailPlans, VmPlans). The methods that take a
 * {@link Listed} domain work from a listing ({@link org.lodge.provisioning.libvirt.DomainListing})
 * and make no libvirt call of their own where they can avoid it.
 */
public interface UnitDriver {

    UnitKind kind();

    /** The URI of the libvirt connection this kind's domains live on. */
    String uri();

    Connect connection();

    /** The domain of that libvirt name on this kind's connection (one look-up). */
    Optional<Domain> domain(String libvirtName);

    default Optional<Domain> domain(UnitEntity unit) {
        return domain(unit.libvirtName());
    }

    /** What libvirt says the unit is (through {@link org.lodge.provisioning.libvirt.DomainStates}). */
    UnitState observedState(String libvirtName, Listed domain);

    /** Bytes used on the running unit's disk as far as the host can tell, or null. */
    Long diskUsed(String libvirtName, Listed domain);

    default UnitState observedState(UnitEntity unit) {
        return domain(unit).map(d -> observedState(unit.libvirtName(), Listed.of(d))).orElse(UnitState.NOT_CONFIGURED);
    }

    default Long diskUsed(UnitEntity unit) {
        return domain(unit).map(Listed::of).filter(Listed::isActive).map(d -> diskUsed(unit.libvirtName(), d))
                .orElse(null);
    }
}
