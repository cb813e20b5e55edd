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
