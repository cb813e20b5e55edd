-- A person's e-mail address (optional), so that mail Lodge sends to an address (alert staff
-- addresses, a tenant's contact or billing address) is written in the language and time zone that
-- person saved (V32). An address nobody claims is written in the tenant's language (its
-- administrator's choice), else English. Not unique: two accounts of one person may share one.
alter table app_user add column email varchar(254);
create index app_user_email on app_user (lower(email)) where email is not null;
