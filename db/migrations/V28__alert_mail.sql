-- Unit alerts e-mailed once per episode: an episode opens when an alert first shows (one mail)
-- and clears when it no longer does (one more mail). The partial unique index keeps one open
-- episode per unit and kind, so two instances judging at once cannot open it twice.
-- Each notice is PENDING until sent, SENT, or SKIPPED (no SMTP server configured, or nobody to tell).

alter table tenant add column contact_email varchar(254);

create table alert_episode (
    id             uuid primary key,
    unit_id        uuid         not null,
    tenant_id      uuid         not null,
    domain         varchar(253) not null,
    kind           varchar(32)  not null,
    message        text         not null,
    opened_at      timestamptz  not null,
    cleared_at     timestamptz,
    opened_notice  varchar(8)   not null default 'PENDING' check (opened_notice in ('PENDING', 'SENT', 'SKIPPED')),
    cleared_notice varchar(8)   check (cleared_notice in ('PENDING', 'SENT', 'SKIPPED')),
    mail_attempts  integer      not null default 0,
    next_attempt   timestamptz,
    last_error     text
);
create unique index alert_episode_open on alert_episode (unit_id, kind) where cleared_at is null;
create index alert_episode_pending on alert_episode (opened_at)
    where opened_notice = 'PENDING' or cleared_notice = 'PENDING';
create index alert_episode_unit on alert_episode (unit_id, opened_at desc);

alter table alert_episode enable row level security;
alter table alert_episode force row level security;
create policy tenant_rows on alert_episode
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
