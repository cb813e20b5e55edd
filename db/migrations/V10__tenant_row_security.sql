-- A database backstop for tenant scoping: PostgreSQL row-level security on every tenant-owned
-- table. A customer's request runs as the role lodge_tenant with lodge.tenant_id set to their
-- tenant (org.lodge.TenantConnections, at each connection checkout), so even a query that forgot
-- its tenant condition sees and changes only that tenant's rows. Staff, the worker, Quartz and
-- migrations leave the setting empty and keep the connecting user: every row, as before.

-- The role customers' requests switch to. Superusers (the embedded database's and compose's
-- connecting user) skip row security altogether, so the switch is what makes the policies bite.
-- Roles are cluster-wide: another database of the cluster may have made it already. A connecting
-- user that may not create roles needs it made beforehand (see docs/architecture.md, Security).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'lodge_tenant') then
        create role lodge_tenant nologin;
    end if;
    if not pg_has_role(current_user, 'lodge_tenant', 'member') then
        execute format('grant lodge_tenant to %I', current_user);
    end if;
end $$;

-- The tenant itself decides nothing: the policies do. It may use what the application uses.
grant select, insert, update, delete on all tables in schema public to lodge_tenant;
grant usage, select, update on all sequences in schema public to lodge_tenant;
alter default privileges in schema public grant select, insert, update, delete on tables to lodge_tenant;
alter default privileges in schema public grant usage, select, update on sequences to lodge_tenant;

-- The tenant of this connection's customer, null when the setting is empty or unset (everyone).
create function lodge_current_tenant() returns uuid
    language sql stable
    as $$ select nullif(current_setting('lodge.tenant_id', true), '')::uuid $$;

-- FORCE as well as ENABLE: the table owner skips row security unless forced, and an external
-- database may connect as the owner (a non-superuser one); the policies then still hold.
alter table unit enable row level security;
alter table unit force row level security;
create policy tenant_rows on unit
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

-- A node's own jobs (tenant_id null) are staff-only: a customer never sees them.
alter table provisioning_job enable row level security;
alter table provisioning_job force row level security;
create policy tenant_rows on provisioning_job
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

-- Tables without a tenant column follow their parent row.
alter table ip_assignment enable row level security;
alter table ip_assignment force row level security;
create policy tenant_rows on ip_assignment
    using (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = ip_assignment.unit_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = ip_assignment.unit_id and u.tenant_id = lodge_current_tenant()));

alter table vm_snapshot enable row level security;
alter table vm_snapshot force row level security;
create policy tenant_rows on vm_snapshot
    using (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = vm_snapshot.unit_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = vm_snapshot.unit_id and u.tenant_id = lodge_current_tenant()));

alter table vm_export enable row level security;
alter table vm_export force row level security;
create policy tenant_rows on vm_export
    using (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = vm_export.unit_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = vm_export.unit_id and u.tenant_id = lodge_current_tenant()));

alter table console_ticket enable row level security;
alter table console_ticket force row level security;
create policy tenant_rows on console_ticket
    using (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = console_ticket.unit_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = console_ticket.unit_id and u.tenant_id = lodge_current_tenant()));

alter table console_session enable row level security;
alter table console_session force row level security;
create policy tenant_rows on console_session
    using (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = console_session.unit_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from unit u where u.id = console_session.unit_id and u.tenant_id = lodge_current_tenant()));

alter table job_transition enable row level security;
alter table job_transition force row level security;
create policy tenant_rows on job_transition
    using (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_transition.job_id and j.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_transition.job_id and j.tenant_id = lodge_current_tenant()));

alter table job_log enable row level security;
alter table job_log force row level security;
create policy tenant_rows on job_log
    using (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_log.job_id and j.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_log.job_id and j.tenant_id = lodge_current_tenant()));

alter table job_secret enable row level security;
alter table job_secret force row level security;
create policy tenant_rows on job_secret
    using (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_secret.job_id and j.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from provisioning_job j where j.id = job_secret.job_id and j.tenant_id = lodge_current_tenant()));
