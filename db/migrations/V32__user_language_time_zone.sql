-- Each person's language ('en' or 'it'; null: the browser's Accept-Language, then English) and time
-- zone (an IANA id such as 'Europe/Rome'; null: the portal's zone, lodge.web.time-zone,
-- Europe/Rome by default), chosen on the
-- account page or with the language switch.
alter table app_user add column language varchar(8);
alter table app_user add column time_zone varchar(64);
