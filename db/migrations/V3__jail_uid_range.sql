-- Each jail gets its own range of 65,536 host uids/gids: root in the jail is uid_base on the host.
create sequence jail_uid_slot;
alter table jail add column uid_base bigint not null default (100000 + 65536 * nextval('jail_uid_slot'));
alter table jail add constraint jail_uid_base_unique unique (uid_base);
