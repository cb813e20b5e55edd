-- The file index of a verified jail backup (docs/backups.md, "Browsing a backup"): the worker
-- reads the snapshot's web root with `restic ls` once, after verifying it, and stores it here so
-- the portal, which never runs restic, can show the backup folder by folder. One row per folder:
-- its direct children as gzip-compressed JSON (name, type, size, mtime), paths relative to the
-- web root ("" is the web root itself). Leaves with its backup.
create table backup_file_index (
    backup_id   uuid primary key references backup (id) on delete cascade,
    tenant_id   uuid not null,
    folders     integer not null,
    entries     integer not null,
    bytes       bigint not null,
    index_bytes bigint not null,
    created_at  timestamptz not null default now()
);

create table backup_file_folder (
    backup_id uuid not null references backup_file_index (backup_id) on delete cascade,
    path      text not null,
    children  bytea not null,
    primary key (backup_id, path)
);

-- The tenant backstop of V10, as V19 and V36 for the other backup tables.
alter table backup_file_index enable row level security;
alter table backup_file_index force row level security;
create policy tenant_rows on backup_file_index
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table backup_file_folder enable row level security;
alter table backup_file_folder force row level security;
create policy tenant_rows on backup_file_folder
    using (lodge_current_tenant() is null
           or exists (select 1 from backup_file_index i where i.backup_id = backup_file_folder.backup_id
                                                          and i.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from backup_file_index i where i.backup_id = backup_file_folder.backup_id
                                                          and i.tenant_id = lodge_current_tenant()));
