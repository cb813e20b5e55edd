package org.lodge.provisioning.backup.vm;

import java.util.UUID;
import org.lodge.provisioning.CopiedDisk;
import org.lodge.provisioning.unit.UnitEntity;

/**
 * What a VM backup records of its unit beside the disk image (in the snapshot as facts.json and
 * in the backup's row): enough to restore it into a new unit and to check the restored image.
 * {@code sshAuthorizedKey}: the customer's key the disk's root account holds (null in backups
 * taken before it was recorded, and for a VM made without a key).
 */
public record VmFacts(UUID unitId, String domain, String ipv4, String template, String templateVersion, int vcpus,
                      int memoryMib, long diskBytes, String mac, boolean running, String imageSha256,
                      String sshAuthorizedKey) {

    static VmFacts of(UnitEntity vm, boolean running, String imageSha256) {
        return new VmFacts(vm.id(), vm.domain(), vm.ipv4(), vm.template(), vm.templateVersion(), vm.vcpus(),
                vm.memoryMib(), vm.diskBytes(), vm.mac(), running, imageSha256, vm.sshAuthorizedKey());
    }

    /** The backed-up image as a new unit's disk: its template version and its key. */
    public CopiedDisk disk() {
        return new CopiedDisk(templateVersion, sshAuthorizedKey);
    }
}
