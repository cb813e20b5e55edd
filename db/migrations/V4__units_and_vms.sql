-- Jails and VMs are both "units": one table, a kind column, and what only VMs have.
alter table jail rename to unit;
alter index jail_tenant rename to unit_tenant;
alter table ip_assignment rename column jail_id to unit_id;
alter table unit add column kind varchar(8) not null default 'JAIL' check (kind in ('JAIL', 'VM'));
alter table unit alter column kind drop default;
alter table unit add column vcpus integer not null default 1 check (vcpus > 0);
alter table unit add column template varchar(63);
-- A VM's NIC keeps its MAC for life (the guest's network config matches on it).
alter table unit add column mac varchar(17) unique;
-- Where the node's worker last saw the VM's VNC server (loopback of the node); null when off.
alter table unit add column console_port integer;
alter table unit add check ((kind = 'VM') = (mac is not null and template is not null));

-- What libvirt says of the node, refreshed by its worker, and the VM bounds it accepts.
alter table node add column qemu_uri varchar(200);
alter table node add column virt_type varchar(8);
alter table node add column cpus integer;
alter table node add column memory_bytes bigint;
alter table node add column free_memory_bytes bigint;
alter table node add column pool_capacity_bytes bigint;
alter table node add column console_host varchar(253) not null default '127.0.0.1';
alter table node add column vm_max_vcpus integer not null default 2;
alter table node add column vm_max_memory_mib integer not null default 1024;

-- The VM templates a node offers: qcow2 base images in its template storage pool.
create table vm_template (
    node_name       varchar(63)  not null references node (name) on delete cascade,
    name            varchar(63)  not null,
    os              varchar(200) not null,
    min_disk_bytes  bigint       not null,
    min_memory_mib  integer      not null,
    customisation   varchar(200) not null,
    primary key (node_name, name)
);

-- Snapshots as the worker last listed them from libvirt.
create table vm_snapshot (
    unit_id     uuid        not null references unit (id) on delete cascade,
    name        varchar(63) not null,
    created_at  timestamptz not null,
    vm_state    varchar(16) not null,
    primary key (unit_id, name)
);
