-- The tenant backstop of V10 (row-level security) for the backup tables of V11 and V16. Same
-- rule: an empty lodge.tenant_id (staff, worker, Quartz's dispatcher) sees every row; a
-- customer's connection only its tenant's.

alter table backup enable row level security;
alter table backup force row level security;
create policy tenant_rows on backup
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table backup_policy enable row level security;
alter table backup_policy force row level security;
create policy tenant_rows on backup_policy
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

alter table backup_due enable row level security;
alter table backup_due force row level security;
create policy tenant_rows on backup_due
    using (lodge_current_tenant() is null
           or exists (select 1 from backup_policy p where p.id = backup_due.policy_id
                                                    and p.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from backup_policy p where p.id = backup_due.policy_id
                                                    and p.tenant_id = lodge_current_tenant()));
