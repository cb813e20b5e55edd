-- Issue 8, jail backups (docs/backups.md, "Quota" and "Failures told to staff").
-- A tenant's backup quota: the deduplicated size of its snapshots as restic reports it
-- (restic stats --mode raw-data); null = no quota. Staff set it.
alter table tenant add column backup_quota_bytes bigint check (backup_quota_bytes is null or backup_quota_bytes >= 0);

-- What the tenant's snapshots take in each repository, measured by the worker after each backup:
-- a backup in one repository counts the last measure of the others against the quota.
create table backup_usage (
    tenant_id   uuid         not null references tenant (id),
    repository  varchar(500) not null,
    used_bytes  bigint       not null check (used_bytes >= 0),
    snapshots   integer      not null,
    measured_at timestamptz  not null,
    primary key (tenant_id, repository)
);
alter table backup_usage enable row level security;
alter table backup_usage force row level security;
create policy tenant_rows on backup_usage
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

-- When a backup turned KO (its job failed, or a re-verification did): the BACKUP_FAILED alert shows
-- while a unit has a failure newer than its newest good backup, and is e-mailed to staff.
alter table backup add column failed_at timestamptz;
create function backup_failed_at() returns trigger language plpgsql as $$
begin
    if new.outcome = 'KO' and (tg_op = 'INSERT' or old.outcome is distinct from 'KO') then
        new.failed_at := coalesce(new.failed_at, now());
    end if;
    return new;
end $$;
create trigger backup_failed_at before insert or update of outcome on backup
    for each row execute function backup_failed_at();
create index backup_unit_failed on backup (unit_id, failed_at desc) where outcome = 'KO';
