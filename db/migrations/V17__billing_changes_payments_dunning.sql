-- Plan changes of a subscription (upgrade or downgrade), prorated by day at the next billing run:
-- a CREDIT line for the unused part of the old plan's price and a CHARGE line for the new one,
-- both for [change day, end of the period already billed).
create table billing_plan_change (
    id              uuid        primary key,
    subscription_id uuid        not null references billing_subscription (id),
    from_plan       uuid        not null references billing_plan (id),
    to_plan         uuid        not null references billing_plan (id),
    effective_on    date        not null,
    created_by      varchar(64) not null,
    created_at      timestamptz not null default now(),
    -- one change a day per subscription: the day is part of the adjustment lines' key
    unique (subscription_id, effective_on),
    check (from_plan <> to_plan)
);

alter table billing_invoice_line add column kind varchar(8) not null default 'PERIOD'
    check (kind in ('PERIOD', 'CREDIT', 'CHARGE'));
-- the plan a line was billed at (null only for lines written before this migration)
alter table billing_invoice_line add column plan_id uuid references billing_plan (id);
alter table billing_invoice_line drop constraint billing_invoice_line_subscription_id_period_start_key;
create unique index billing_invoice_line_once on billing_invoice_line (subscription_id, period_start, kind);

-- Payments received for issued invoices (staff record bank transfers); the reference is unique,
-- so the same transfer cannot be recorded twice.
create table billing_payment (
    id          uuid          primary key,
    invoice_id  uuid          not null references billing_invoice (id),
    amount      numeric(12,2) not null check (amount > 0),
    paid_on     date          not null,
    reference   varchar(100)  not null unique,
    recorded_by varchar(64)   not null,
    created_at  timestamptz   not null default now()
);
create index billing_payment_invoice on billing_payment (invoice_id);

-- Dunning per subscription, never per tenant: a row while the subscription's unit is suspended
-- for non-payment of that invoice.
create table billing_dunning (
    subscription_id uuid        primary key references billing_subscription (id),
    invoice_id      uuid        not null references billing_invoice (id),
    suspended_on    date        not null,
    created_at      timestamptz not null default now()
);

-- Provisioning: why a unit is suspended (its owner cannot start it); NON_PAYMENT is lifted by
-- billing when paid, STAFF only by staff.
alter table unit add column suspended_for varchar(16) check (suspended_for in ('NON_PAYMENT', 'STAFF'));
