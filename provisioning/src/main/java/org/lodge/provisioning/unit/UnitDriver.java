package org.lodge.provisioning.unit;

import java.util.Optional;
import org.libvirt.Domain;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;

/**
 * What the shared steps and the state sync need from a kind of unit: its libvirt domain, the
 * state it is in, and how full its disk is. Jails and VMs each have one; their job plans are
 * their own (JailPlans, VmPlans).
 */
public interface UnitDriver {

    UnitKind kind();

    Optional<Domain> domain(UnitEntity unit);

    /** What libvirt says the unit is (through {@link org.lodge.provisioning.libvirt.DomainStates}). */
    UnitState observedState(UnitEntity unit);

    /** Bytes used on the unit's disk as far as the host can tell, or null. */
    Long diskUsed(UnitEntity unit);
}
