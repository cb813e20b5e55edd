-- Billing e-mail, payments allocated over invoices with a credit balance, termination (issue 11).

-- Where a tenant's invoices and dunning notices go.
alter table billing_customer add column billing_email varchar(254);

-- The mail outbox: one row per (kind, subject), written in the transaction that makes the state
-- it tells about, sent after commit and marked sent; a row whose sending failed is tried again
-- later. The unique key makes a repeated run, or a redelivered event, unable to mail twice.
create table billing_mail (
    id              uuid         primary key,
    tenant_id       uuid         not null references tenant (id),
    kind            varchar(16)  not null check (kind in ('INVOICE_ISSUED', 'REMINDER_1', 'REMINDER_2',
                                                          'SUSPENDED', 'UNSUSPENDED', 'TERMINATED')),
    -- the invoice (invoice issued, reminders), or subscription ':' invoice of the dunning episode
    subject_key     varchar(80)  not null,
    invoice_id      uuid         references billing_invoice (id),
    subscription_id uuid         references billing_subscription (id),
    created_at      timestamptz  not null default now(),
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    last_error      text,
    recipient       varchar(254),
    sent_at         timestamptz,
    unique (kind, subject_key)
);
create index billing_mail_pending on billing_mail (next_attempt_at) where sent_at is null;

-- An issued invoice is mailed: the outbox row is written by the issuing transaction itself.
create function billing_mail_invoice_issued() returns trigger language plpgsql as $$
begin
    insert into billing_mail (id, tenant_id, kind, subject_key, invoice_id)
    values (gen_random_uuid(), new.tenant_id, 'INVOICE_ISSUED', new.id::text, new.id)
    on conflict (kind, subject_key) do nothing;
    return new;
end $$;
create trigger billing_invoice_issued_mail after update of state on billing_invoice
    for each row when (old.state = 'DRAFT' and new.state = 'ISSUED')
    execute function billing_mail_invoice_issued();

-- Money received from a tenant: a bank transfer staff record, or a payment provider's notification
-- (its transaction id is the reference). A receipt is allocated to the tenant's open invoices, oldest
-- first (billing_payment rows); what is not allocated is the tenant's credit balance.
create table billing_receipt (
    id          uuid          primary key,
    tenant_id   uuid          not null references tenant (id),
    amount      numeric(12,2) not null check (amount > 0),
    received_on date          not null,
    source      varchar(8)    not null check (source in ('STAFF', 'PROVIDER')),
    reference   varchar(100)  not null,
    -- the provider's notification body, hashed: a replay with another body is refused
    body_sha256 varchar(64),
    recorded_by varchar(64)   not null,
    created_at  timestamptz   not null default now(),
    unique (source, reference)
);

insert into billing_receipt (id, tenant_id, amount, received_on, source, reference, recorded_by, created_at)
select p.id, i.tenant_id, p.amount, p.paid_on, 'STAFF', p.reference, p.recorded_by, p.created_at
  from billing_payment p join billing_invoice i on i.id = p.invoice_id;

alter table billing_payment add column receipt_id uuid references billing_receipt (id);
update billing_payment set receipt_id = id;
alter table billing_payment alter column receipt_id set not null;
-- the reference is the receipt's now: one transfer may pay several invoices
alter table billing_payment drop constraint billing_payment_reference_key;
create unique index billing_payment_allocation on billing_payment (receipt_id, invoice_id);

-- Dunning: termination after the suspension (the unit is deleted, its last backup kept).
alter table billing_dunning add column terminated_on date;

alter table billing_mail enable row level security;
alter table billing_mail force row level security;
create policy tenant_rows on billing_mail
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table billing_receipt enable row level security;
alter table billing_receipt force row level security;
create policy tenant_rows on billing_receipt
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
