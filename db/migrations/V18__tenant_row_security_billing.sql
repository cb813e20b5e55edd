-- The tenant backstop of V10 (row-level security) for the tenant-owned tables that came after it:
-- subscriptions, invoices and what hangs off them. Same rule: an
-- empty lodge.tenant_id (staff, worker, Quartz) sees every row; a customer's connection only
-- its tenant's. The grants to lodge_tenant came with V10's default privileges.

alter table billing_subscription enable row level security;
alter table billing_subscription force row level security;
create policy tenant_rows on billing_subscription
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table billing_invoice enable row level security;
alter table billing_invoice force row level security;
create policy tenant_rows on billing_invoice
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table billing_customer enable row level security;
alter table billing_customer force row level security;
create policy tenant_rows on billing_customer
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table billing_invoice_line enable row level security;
alter table billing_invoice_line force row level security;
create policy tenant_rows on billing_invoice_line
    using (lodge_current_tenant() is null
           or exists (select 1 from billing_invoice i where i.id = billing_invoice_line.invoice_id
                                                        and i.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from billing_invoice i where i.id = billing_invoice_line.invoice_id
                                                        and i.tenant_id = lodge_current_tenant()));

alter table billing_payment enable row level security;
alter table billing_payment force row level security;
create policy tenant_rows on billing_payment
    using (lodge_current_tenant() is null
           or exists (select 1 from billing_invoice i where i.id = billing_payment.invoice_id
                                                        and i.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from billing_invoice i where i.id = billing_payment.invoice_id
                                                        and i.tenant_id = lodge_current_tenant()));

alter table billing_plan_change enable row level security;
alter table billing_plan_change force row level security;
create policy tenant_rows on billing_plan_change
    using (lodge_current_tenant() is null
           or exists (select 1 from billing_subscription s where s.id = billing_plan_change.subscription_id
                                                             and s.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from billing_subscription s where s.id = billing_plan_change.subscription_id
                                                             and s.tenant_id = lodge_current_tenant()));

alter table billing_dunning enable row level security;
alter table billing_dunning force row level security;
create policy tenant_rows on billing_dunning
    using (lodge_current_tenant() is null
           or exists (select 1 from billing_subscription s where s.id = billing_dunning.subscription_id
                                                             and s.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from billing_subscription s where s.id = billing_dunning.subscription_id
                                                             and s.tenant_id = lodge_current_tenant()));
