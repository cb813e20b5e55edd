-- Backups of units (docs/backups.md). One row per backup job (id = the job's id), written by the
-- worker of the unit's node. No foreign key to unit: a unit's backups outlive its deletion (so a
-- deleted unit can still be restored); tenant and domain are kept for that reason.
create table backup (
    id            uuid         primary key,
    tenant_id     uuid         not null references tenant (id),
    unit_id       uuid         not null,
    unit_domain   varchar(253) not null,
    node_name     varchar(63)  not null references node (name),
    repository    varchar(500) not null,
    snapshot_id   varchar(64),
    taken_at      timestamptz  not null,
    files         bigint,
    size_bytes    bigint,
    added_bytes   bigint,
    freeze_ms     integer,
    verified      boolean      not null default false,
    protected     boolean      not null default false,
    outcome       varchar(16)  not null check (outcome in ('RUNNING', 'UNVERIFIED', 'OK', 'KO')),
    reason        varchar(500),
    -- a backup counts as good only once verified
    check (not verified or outcome = 'OK')
);
create index backup_unit_taken on backup (unit_id, taken_at desc);
create index backup_tenant_taken on backup (tenant_id, taken_at desc);
