-- Disk exports a VM's export jobs made: a volume in the node's VM pool, downloadable once ready.
create table vm_export (
    job_id      uuid primary key references provisioning_job (id) on delete cascade,
    unit_id     uuid         not null references unit (id) on delete cascade,
    format      varchar(8)   not null check (format in ('qcow2', 'raw', 'vmdk', 'vdi')),
    path        varchar(500) not null,
    bytes       bigint       not null,
    created_at  timestamptz  not null default now()
);
create index vm_export_unit on vm_export (unit_id, created_at desc);
