-- Retention of a backup policy (docs/backups.md, "Retention"): Proxmox Backup Server's keep rules,
-- applied after every backup of a unit the policy governs. All zero keeps every backup.
alter table backup_policy
    add column keep_last    integer not null default 0 check (keep_last between 0 and 10000),
    add column keep_hourly  integer not null default 0 check (keep_hourly between 0 and 10000),
    add column keep_daily   integer not null default 0 check (keep_daily between 0 and 10000),
    add column keep_weekly  integer not null default 0 check (keep_weekly between 0 and 10000),
    add column keep_monthly integer not null default 0 check (keep_monthly between 0 and 10000),
    add column keep_yearly  integer not null default 0 check (keep_yearly between 0 and 10000);

-- When a backup was last proven restorable (its own verification, then the weekly re-verification).
alter table backup add column verified_at timestamptz;
update backup set verified_at = taken_at where verified;

-- When the backed-up unit was deleted: its backups are kept lodge.backup.keep-after-deletion longer
-- (so a deleted unit can still be restored), then the weekly node job expires them.
alter table backup add column unit_deleted_at timestamptz;

-- The jail's host uid base when it was backed up: a restore into another jail moves the owners
-- from it to the new jail's range.
alter table backup add column uid_base bigint;
