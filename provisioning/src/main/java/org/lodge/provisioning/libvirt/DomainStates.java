package org.lodge.provisioning.libvirt;

import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.UnitState;

/** The one mapping from libvirt's domain states to the states the portal shows. */
public final class DomainStates {

    private DomainStates() {
    }

    /** @param saved whether the unit's saved state file exists (libvirt then reports it shut off) */
    public static UnitState of(DomainState state, boolean saved) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> UnitState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> UnitState.PAUSED;
            case VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_CRASHED, VIR_DOMAIN_NOSTATE ->
                    saved ? UnitState.SAVED : UnitState.STOPPED;
        };
    }

    public static boolean isActive(Domain domain) {
        try {
            return domain.isActive() == 1;
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("domain state", e);
        }
    }

    public static DomainState stateOf(Domain domain) {
        try {
            return domain.getInfo().state;
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("domain state", e);
        }
    }
}
