-- Each person's language ('en' or 'it'; null: the browser's Accept-Language, then English) and time
-- zone (an IANA id such as 'Europe/Rome'; null: Europe/Rome for Italian, UTC for English), chosen on the
-- account page or with the language switch.
alter table app_user add column language varchar(8);
alter table app_user add column time_zone varchar(64);
