-- Alerts e-mailed once per episode: an episode opens when an alert first shows (one mail) and
-- clears when it no longer does (one more mail). Its subject is a unit ('unit:<id>', told to
-- staff and the unit's tenant) or a node ('node:<name>', staff only). The partial unique index
-- keeps one open episode per subject and kind, so two instances judging at once cannot open it
-- twice. Each notice is PENDING until sent, SENT, or SKIPPED (no SMTP server, nobody to tell).

alter table tenant add column contact_email varchar(254);

-- What node alerts are judged from, reported by each worker with its heartbeat.
alter table node add column storage_total_bytes bigint;
alter table node add column available_memory_bytes bigint;

create table alert_episode (
    id             uuid primary key,
    subject        varchar(300) not null,
    unit_id        uuid,
    node_name      varchar(63),
    tenant_id      uuid,
    label          varchar(253) not null,
    kind           varchar(32)  not null,
    message        text         not null,
    opened_at      timestamptz  not null,
    cleared_at     timestamptz,
    opened_notice  varchar(8)   not null default 'PENDING' check (opened_notice in ('PENDING', 'SENT', 'SKIPPED')),
    cleared_notice varchar(8)   check (cleared_notice in ('PENDING', 'SENT', 'SKIPPED')),
    mail_attempts  integer      not null default 0,
    next_attempt   timestamptz,
    last_error     text,
    check ((unit_id is null) <> (node_name is null))
);
create unique index alert_episode_open on alert_episode (subject, kind) where cleared_at is null;
create index alert_episode_pending on alert_episode (opened_at)
    where opened_notice = 'PENDING' or cleared_notice = 'PENDING';
create index alert_episode_unit on alert_episode (unit_id, opened_at desc);

-- A node's episodes (no tenant) are staff-only, like a node's jobs.
alter table alert_episode enable row level security;
alter table alert_episode force row level security;
create policy tenant_rows on alert_episode
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
