-- Billing (module org.lodge.billing) and Spring Modulith's event publication registry.

-- The registry (spring-modulith-events-jpa 1.4): every event published to a transactional module
-- listener is stored here in the publishing transaction and completed when the listener commits,
-- so an event is never lost between the commit and its delivery. Layout of Modulith's own
-- PostgreSQL schema; Flyway owns it (Modulith's schema initialisation stays off).
create table event_publication (
    id               uuid        not null primary key,
    listener_id      text        not null,
    event_type       text        not null,
    serialized_event text        not null,
    publication_date timestamptz not null,
    completion_date  timestamptz
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);

-- Used when spring.modulith.events.completion-mode=archive.
create table event_publication_archive (
    id               uuid        not null primary key,
    listener_id      text        not null,
    event_type       text        not null,
    serialized_event text        not null,
    publication_date timestamptz not null,
    completion_date  timestamptz
);
create index event_publication_archive_serialized_event_hash_idx on event_publication_archive using hash (serialized_event);
create index event_publication_archive_by_completion_date_idx on event_publication_archive (completion_date);

-- Catalog: a plan fixes a unit's shape; its price changes only from a date on.
create table billing_plan (
    id                 uuid         primary key,
    code               varchar(40)  not null unique check (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name               varchar(100) not null,
    kind               varchar(8)   not null check (kind in ('JAIL', 'VM')),
    disk_bytes         bigint       not null check (disk_bytes > 0),
    memory_mib         integer      not null check (memory_mib > 0),
    vcpus              integer      not null check (vcpus > 0),
    backup_quota_bytes bigint       not null check (backup_quota_bytes >= 0),
    -- the plan a unit gets when its request names none (one per kind at most)
    kind_default       boolean      not null default false,
    created_at         timestamptz  not null default now()
);
create unique index billing_plan_one_default_per_kind on billing_plan (kind) where kind_default;

create table billing_plan_price (
    plan_id        uuid          not null references billing_plan (id),
    effective_from date          not null,
    monthly_price  numeric(12,2) not null check (monthly_price >= 0),
    currency       char(3)       not null default 'EUR' check (currency = 'EUR'),
    primary key (plan_id, effective_from)
);

-- One subscription per unit, made from the UnitCreated event (unique unit_id: a redelivered
-- event changes nothing). It outlives the unit row, which a deletion removes.
create table billing_subscription (
    id          uuid         primary key,
    tenant_id   uuid         not null references tenant (id),
    unit_id     uuid         not null unique,
    unit_label  varchar(253) not null,
    plan_id     uuid         not null references billing_plan (id),
    billing_day smallint     not null check (billing_day between 1 and 28),
    started_on  date         not null,
    ended_on    date,
    disk_bytes  bigint       not null,
    created_at  timestamptz  not null default now(),
    check (ended_on is null or ended_on >= started_on)
);
create index billing_subscription_tenant on billing_subscription (tenant_id);

-- The fiscal numbering: one row per series and year, locked (UPDATE) by the issuing transaction,
-- so numbers are consecutive and a rolled-back issue gives its number back.
create table billing_invoice_counter (
    series      varchar(10) not null,
    fiscal_year integer     not null,
    last_number integer     not null check (last_number >= 0),
    primary key (series, fiscal_year)
);

create table billing_invoice (
    id           uuid          primary key,
    tenant_id    uuid          not null references tenant (id),
    state        varchar(8)    not null check (state in ('DRAFT', 'ISSUED')),
    series       varchar(10),
    fiscal_year  integer,
    seq          integer,
    number       varchar(30),
    issue_date   date,
    due_date     date,
    currency     char(3)       not null default 'EUR',
    net_total    numeric(12,2) not null default 0,
    vat_total    numeric(12,2) not null default 0,
    gross_total  numeric(12,2) not null default 0,
    created_at   timestamptz   not null default now(),
    issued_at    timestamptz,
    unique (series, fiscal_year, seq),
    check ((state = 'ISSUED') = (number is not null and seq is not null and issue_date is not null))
);
create index billing_invoice_tenant on billing_invoice (tenant_id, created_at desc);

-- A line bills one subscription for one period; the unique key makes a repeated or concurrent
-- billing run unable to bill a period twice.
create table billing_invoice_line (
    id              bigserial     primary key,
    invoice_id      uuid          not null references billing_invoice (id),
    subscription_id uuid          not null references billing_subscription (id),
    period_start    date          not null,
    period_end      date          not null,
    description     varchar(300)  not null,
    net_amount      numeric(12,2) not null,
    vat_rate        numeric(5,2)  not null check (vat_rate >= 0 and vat_rate < 100),
    unique (subscription_id, period_start),
    check (period_end > period_start)
);
create index billing_invoice_line_invoice on billing_invoice_line (invoice_id);

-- Issued invoices never change: the database refuses it, whatever the code does.
create function billing_invoice_immutable() returns trigger language plpgsql as $$
begin
    if old.state = 'ISSUED' then
        raise exception 'invoice % is issued and cannot change', old.number using errcode = 'check_violation';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger billing_invoice_immutable before update or delete on billing_invoice
    for each row execute function billing_invoice_immutable();

create function billing_invoice_line_immutable() returns trigger language plpgsql as $$
begin
    if exists (select 1 from billing_invoice i
                where i.id in (case when tg_op = 'INSERT' then new.invoice_id else old.invoice_id end,
                               case when tg_op = 'UPDATE' then new.invoice_id else null end)
                  and i.state = 'ISSUED') then
        raise exception 'lines of an issued invoice cannot change' using errcode = 'check_violation';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger billing_invoice_line_immutable before insert or update or delete on billing_invoice_line
    for each row execute function billing_invoice_line_immutable();

-- A tenant's billing details: who the invoices are made out to (and, for Italy, how FatturaPA
-- reaches them: SDI recipient code or PEC).
create table billing_customer (
    tenant_id   uuid         primary key references tenant (id),
    legal_name  varchar(80)  not null,
    country     char(2)      not null check (country ~ '^[A-Z]{2}$'),
    vat_number  varchar(28),
    fiscal_code varchar(16),
    address     varchar(60)  not null,
    postcode    varchar(10)  not null,
    city        varchar(60)  not null,
    province    char(2),
    sdi_code    char(7),
    pec         varchar(254),
    updated_at  timestamptz  not null default now()
);

-- A first catalog, so a unit created without a plan name is billed from day one (staff edit it).
insert into billing_plan (id, code, name, kind, disk_bytes, memory_mib, vcpus, backup_quota_bytes, kind_default)
values ('00000000-0000-4000-8000-00000000b001', 'jail-basic', 'Jail Basic', 'JAIL', 1073741824, 64, 1, 1073741824, true),
       ('00000000-0000-4000-8000-00000000b002', 'vm-basic', 'VM Basic', 'VM', 10737418240, 1024, 1, 10737418240, true);
insert into billing_plan_price (plan_id, effective_from, monthly_price)
values ('00000000-0000-4000-8000-00000000b001', date '2020-01-01', 5.00),
       ('00000000-0000-4000-8000-00000000b002', date '2020-01-01', 15.00);
