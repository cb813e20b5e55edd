-- Files from a jail backup as a tar.zst archive (docs/backups.md, "Single files and folders"):
-- the worker stores the archive here, in 1 MiB chunks, because the portal only talks to the
-- database. One row per DOWNLOAD_JAIL_FILES job; deleted once expired (its chunks with it).
create table backup_download (
    job_id     uuid primary key,
    tenant_id  uuid not null,
    unit_id    uuid not null,
    backup_id  uuid not null,
    file_name  text not null,
    size_bytes bigint not null,
    sha256     text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index backup_download_unit on backup_download (unit_id, created_at desc);
create index backup_download_expiry on backup_download (expires_at);

create table backup_download_chunk (
    job_id uuid not null references backup_download (job_id) on delete cascade,
    seq    int not null,
    data   bytea not null,
    primary key (job_id, seq)
);

-- The tenant backstop of V10, as V19 for the other backup tables.
alter table backup_download enable row level security;
alter table backup_download force row level security;
create policy tenant_rows on backup_download
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table backup_download_chunk enable row level security;
alter table backup_download_chunk force row level security;
create policy tenant_rows on backup_download_chunk
    using (lodge_current_tenant() is null
           or exists (select 1 from backup_download d where d.job_id = backup_download_chunk.job_id
                                                       and d.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from backup_download d where d.job_id = backup_download_chunk.job_id
                                                       and d.tenant_id = lodge_current_tenant()));
