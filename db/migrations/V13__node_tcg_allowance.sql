-- Without hardware virtualisation a VM runs under QEMU's TCG: many times slower, fine for tests and
-- demos, not for paying tenants. Staff allow it per node; until then the node takes no new VMs.
alter table node add column vm_tcg_allowed boolean not null default false;
