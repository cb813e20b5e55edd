-- Issue 8: an unchanged backup verified by identity, and a backup of a jail nothing was written to
-- since its last verified backup (docs/backups.md, "An unchanged backup" and "Nothing written").
-- The root tree of the backup's snapshot, when restic reported it unchanged and Lodge asked for it.
alter table backup add column tree_id varchar(64);
-- The verified backup whose test restore stands for this one (same tree, or the same snapshot).
alter table backup add column verified_by uuid;
-- True when no freeze and no restic ran: the backup records the snapshot of verified_by.
alter table backup add column nothing_written boolean not null default false;
-- What identified the jail's mounted filesystem at the freeze (boot, device, loop backing file and
-- inode, libvirt domain id) and its ext4 lifetime_write_kbytes just after the thaw; null when unknown.
alter table backup add column mount_identity varchar(400);
alter table backup add column write_kbytes bigint;
