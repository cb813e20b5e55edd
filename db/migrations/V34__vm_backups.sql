-- VM backups (docs/backups.md, "VMs"): which kind of unit a backup is of, and for a VM the facts
-- a restore needs (domain, IPv4, template, shape, the disk image's SHA-256), also kept in the
-- restic snapshot beside the disk image and the domain XML.
alter table backup add column unit_kind varchar(8) not null default 'JAIL' check (unit_kind in ('JAIL', 'VM'));
alter table backup add column vm_facts jsonb;
