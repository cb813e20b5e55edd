-- The template catalogue: every template a node offers, jail and VM alike, as its worker found
-- it (name, OS, version, content hash, the smallest disk and memory it needs), with what staff
-- decided of it: enabled or not, and which one is the default of its kind on the node. Not
-- tenant-owned (no tenant, unit or job column): no row-level security.
alter table vm_template rename to unit_template;
alter table unit_template rename constraint vm_template_pkey to unit_template_pkey;
alter table unit_template rename constraint vm_template_node_name_fkey to unit_template_node_name_fkey;
alter table unit_template add column kind varchar(8) not null default 'VM' check (kind in ('JAIL', 'VM'));
alter table unit_template alter column kind drop default;
alter table unit_template add column version varchar(100) not null default 'unknown';
alter table unit_template alter column version drop default;
alter table unit_template add column content_hash varchar(80);
alter table unit_template add column enabled boolean not null default true;
alter table unit_template add column is_default boolean not null default false;
-- A default is offered: it cannot be disabled.
alter table unit_template add check (enabled or not is_default);
create unique index unit_template_one_default on unit_template (node_name, kind) where is_default;
-- Until now a VM without a template named took the node's first by name: that one stays the default.
update unit_template t set is_default = true
 where t.name = (select min(o.name) from unit_template o where o.node_name = t.node_name and o.kind = t.kind);

-- Every unit records the template and the version it was made from. Jails had one template
-- only, the node's configured one (busybox unless changed); their version went unrecorded (null),
-- and the worker keeps mounting the configured template for them (JailTemplates.of).
alter table unit add column template_version varchar(100);
update unit set template = 'busybox' where kind = 'JAIL' and template is null;
do $$
declare c record;
begin
    for c in select conname from pg_constraint
              where conrelid = 'unit'::regclass and contype = 'c'
                and pg_get_constraintdef(oid) like '%mac IS NOT NULL%template IS NOT NULL%' loop
        execute format('alter table unit drop constraint %I', c.conname);
    end loop;
end $$;
alter table unit alter column template set not null;
alter table unit add check ((kind = 'VM') = (mac is not null));
