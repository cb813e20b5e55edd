-- Jobs of a node itself (the doctor's check and repair) belong to no unit and no tenant.
alter table provisioning_job alter column unit_id drop not null;
alter table provisioning_job alter column tenant_id drop not null;
