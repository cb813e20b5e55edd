-- Metering (docs/billing.md, "Metering"): an hourly usage ledger per unit, fed by provisioning's
-- unit events. billing_meter is what billing knows of each unit now (its shape, since when, and
-- how far its hours are in the ledger); billing_usage_hour holds one row per unit and hour,
-- written only by INSERT … ON CONFLICT DO NOTHING, so an hour is never counted twice, whoever
-- closes it (the hourly job, or a resize or deletion closing the hours up to its time).
create table billing_meter (
    unit_id      uuid        primary key,
    tenant_id    uuid        not null references tenant (id),
    disk_bytes   bigint      not null,
    memory_mib   integer     not null,
    vcpus        integer     not null,
    suspended    boolean     not null default false,
    -- the time of the event the shape (or suspension) is from: an older, redelivered event never overrides it
    shape_at     timestamptz not null,
    started_at   timestamptz not null,
    ended_at     timestamptz,
    -- every hour before this one has its ledger row (always on the hour)
    closed_until timestamptz not null,
    check (date_trunc('hour', closed_until) = closed_until)
);
create index billing_meter_open on billing_meter (closed_until) where ended_at is null;

-- The hour's row carries the shape in force when the hour began (a resize or suspension inside
-- the hour shows from the next one) and the unit's backup storage at the hour's end.
create table billing_usage_hour (
    unit_id      uuid        not null,
    tenant_id    uuid        not null references tenant (id),
    hour         timestamptz not null,
    disk_bytes   bigint      not null,
    memory_mib   integer     not null,
    vcpus        integer     not null,
    suspended    boolean     not null,
    backup_bytes bigint      not null,
    primary key (unit_id, hour),
    check (date_trunc('hour', hour) = hour)
);

-- Units that exist now start being metered from this migration's hour.
insert into billing_meter (unit_id, tenant_id, disk_bytes, memory_mib, vcpus, shape_at, started_at, closed_until)
select s.unit_id, s.tenant_id, s.disk_bytes, p.memory_mib, p.vcpus, now(), now(), date_trunc('hour', now())
  from billing_subscription s join billing_plan p on p.id = s.plan_id
 where s.ended_on is null;

alter table billing_meter enable row level security;
alter table billing_meter force row level security;
create policy tenant_rows on billing_meter
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
alter table billing_usage_hour enable row level security;
alter table billing_usage_hour force row level security;
create policy tenant_rows on billing_usage_hour
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

-- Line kinds: BACKUP bills backup storage beyond the plan's quota for a period (in arrears);
-- CREDITED is a line of a credit note, crediting one line of an issued invoice.
alter table billing_invoice_line drop constraint billing_invoice_line_kind_check;
alter table billing_invoice_line add constraint billing_invoice_line_kind_check
    check (kind in ('PERIOD', 'CREDIT', 'CHARGE', 'BACKUP', 'CREDITED'));

-- Credit notes (FatturaPA TD04) are invoices of their own type, with their own series, that
-- correct an issued invoice (TD01). A line is credited at most once.
alter table billing_invoice add column doc_type varchar(4) not null default 'TD01'
    check (doc_type in ('TD01', 'TD04'));
alter table billing_invoice add column corrects uuid references billing_invoice (id);
alter table billing_invoice add constraint billing_invoice_credit_note_corrects
    check ((doc_type = 'TD04') = (corrects is not null));
alter table billing_invoice_line add column credits_line bigint unique references billing_invoice_line (id);
alter table billing_invoice_line add constraint billing_invoice_line_credited
    check ((kind = 'CREDITED') = (credits_line is not null));
drop index billing_invoice_line_once;
create unique index billing_invoice_line_once on billing_invoice_line (subscription_id, period_start, kind)
    where kind <> 'CREDITED';

-- EU reverse charge: a line billed at 0 % keeps why (FatturaPA Natura, e.g. N2.1).
alter table billing_invoice_line add column vat_nature varchar(5);
