-- The unit table began as "jail" (V1, renamed in V4) and its keys kept the old names. A refused
-- insert is answered from the key PostgreSQL names (NewUnitCheck.takenMeanwhile): the names say
-- what they guard.
alter table unit rename constraint jail_pkey to unit_pkey;
alter table unit rename constraint jail_domain_key to unit_domain_key;
alter table unit rename constraint jail_libvirt_name_key to unit_libvirt_name_key;
alter table ip_assignment rename constraint ip_assignment_jail_id_key to ip_assignment_unit_id_key;
