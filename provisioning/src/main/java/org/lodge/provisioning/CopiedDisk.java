package org.lodge.provisioning;

import org.lodge.provisioning.unit.UnitEntity;

/**
 * The disk a new VM copies instead of making one from its template: a stopped VM's (a clone) or
 * a VM backup's image (a restore into a new unit). The new unit takes from it the template
 * version the disk was made from and the SSH key its root account already holds, which the new
 * NoCloud seed gives again for the new instance.
 */
public record CopiedDisk(String templateVersion, String sshAuthorizedKey) {

    /** What a VM's own disk holds. */
    public static CopiedDisk of(UnitEntity vm) {
        return new CopiedDisk(vm.templateVersion(), vm.sshAuthorizedKey());
    }
}
