-- Backup schedules (docs/backups.md, "Schedules"): a default policy per tenant (unit_id null) and
-- an override per unit; backup_due holds each unit's next run (cron + the unit's jitter), which the
-- clustered Quartz dispatcher reads and advances.
create table backup_policy (
    id             uuid         primary key,
    tenant_id      uuid         not null references tenant (id) on delete cascade,
    unit_id        uuid,
    cron           varchar(120) not null,
    jitter_seconds integer      not null default 0 check (jitter_seconds between 0 and 86400),
    enabled        boolean      not null default true
);
create unique index backup_policy_of_tenant on backup_policy (tenant_id) where unit_id is null;
create unique index backup_policy_of_unit on backup_policy (unit_id) where unit_id is not null;

create table backup_due (
    unit_id   uuid        primary key,
    policy_id uuid        not null references backup_policy (id) on delete cascade,
    due_at    timestamptz not null
);
