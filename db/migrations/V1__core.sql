-- Lodge core schema: tenants and users (portal), nodes, IP pools, jails and jobs (provisioning).

create table tenant (
    id          uuid primary key,
    name        varchar(100) not null unique,
    created_at  timestamptz  not null default now()
);

create table app_user (
    id            uuid primary key,
    username      varchar(64)  not null unique,
    password_hash varchar(200) not null,
    role          varchar(16)  not null check (role in ('STAFF', 'CUSTOMER')),
    tenant_id     uuid references tenant (id),
    created_at    timestamptz  not null default now(),
    -- staff belong to no tenant, customers to exactly one
    check ((role = 'STAFF') = (tenant_id is null))
);

create table audit_event (
    id          bigserial primary key,
    at          timestamptz  not null default now(),
    principal   varchar(64)  not null,
    kind        varchar(32)  not null,
    detail      varchar(500) not null,
    remote_addr varchar(64)
);
create index audit_event_principal_at on audit_event (principal, kind, at);

create table node (
    name             varchar(63) primary key,
    lxc_uri          varchar(200) not null,
    storage_dir      varchar(500) not null,
    free_disk_bytes  bigint       not null default 0,
    template_bytes   bigint       not null default 0,
    heartbeat_at     timestamptz
);

create table ip_pool (
    id           uuid primary key,
    node_name    varchar(63) not null references node (name),
    network_name varchar(63) not null,
    cidr         cidr        not null,
    gateway      inet        not null,
    range_start  inet        not null,
    range_end    inet        not null,
    unique (node_name, network_name),
    check (range_start <= range_end),
    check (gateway << cidr and range_start << cidr and range_end << cidr)
);

create table jail (
    id           uuid primary key,
    tenant_id    uuid         not null,
    node_name    varchar(63)  not null references node (name),
    pool_id      uuid         not null references ip_pool (id),
    domain       varchar(253) not null unique,
    ipv4         inet         not null,
    disk_bytes   bigint       not null check (disk_bytes > 0),
    disk_used_bytes bigint,
    memory_mib   integer      not null,
    libvirt_name varchar(63)  not null unique,
    ftp_user     varchar(32)  not null,
    state        varchar(16)  not null,
    created_at   timestamptz  not null default now(),
    updated_at   timestamptz  not null default now(),
    version      bigint       not null default 0
);
create index jail_tenant on jail (tenant_id);

-- One row per address in use: the primary key makes a double assignment impossible,
-- even for two concurrent requests.
create table ip_assignment (
    address  inet primary key,
    pool_id  uuid not null references ip_pool (id),
    jail_id  uuid not null unique references jail (id) on delete cascade
);

create table provisioning_job (
    id               uuid primary key,
    kind             varchar(32)  not null,
    state            varchar(16)  not null check (state in ('ENQUEUED', 'RUNNING', 'COMPENSATING', 'OK', 'KO')),
    node_name        varchar(63)  not null references node (name),
    tenant_id        uuid         not null,
    unit_id          uuid         not null,
    unit_label       varchar(253) not null,
    params           text         not null,
    idempotency_key  varchar(100) not null unique,
    attempts         integer      not null default 0,
    max_attempts     integer      not null default 3,
    compensate_only  boolean      not null default false,
    current_step     varchar(64),
    last_error       text,
    next_attempt_at  timestamptz  not null default now(),
    claimed_by       varchar(100),
    heartbeat_at     timestamptz,
    created_by       varchar(64)  not null,
    created_at       timestamptz  not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    version          bigint       not null default 0
);
create index provisioning_job_claim on provisioning_job (node_name, state, next_attempt_at);
create index provisioning_job_tenant on provisioning_job (tenant_id, created_at desc);
-- Two jobs on the same unit never run at once.
create unique index provisioning_job_one_active_per_unit on provisioning_job (unit_id)
    where state in ('RUNNING', 'COMPENSATING');

create table job_transition (
    id         bigserial primary key,
    job_id     uuid        not null references provisioning_job (id) on delete cascade,
    from_state varchar(16),
    to_state   varchar(16) not null,
    at         timestamptz not null default now(),
    reason     varchar(500) not null
);
create index job_transition_job on job_transition (job_id, id);

create table job_log (
    id       bigserial primary key,
    job_id   uuid         not null references provisioning_job (id) on delete cascade,
    at       timestamptz  not null default clock_timestamp(),
    step     varchar(64)  not null,
    level    varchar(8)   not null,
    message  text         not null
);
create index job_log_job on job_log (job_id, id);

-- The FTP password in clear, kept only until it is revealed once (or the job fails).
create table job_secret (
    job_id       uuid primary key references provisioning_job (id) on delete cascade,
    ftp_user     varchar(32)  not null,
    ftp_password varchar(100) not null,
    revealed     boolean      not null default false,
    created_at   timestamptz  not null default now()
);
