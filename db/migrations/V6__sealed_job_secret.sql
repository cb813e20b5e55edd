-- FTP passwords waiting to be revealed are now sealed (AES-GCM, key in lodge.secrets.key-file,
-- outside the database). Rows written in clear before cannot be sealed here (SQL has no key):
-- they are forgotten, as if their reveal window had passed (the unit keeps only the hash).
delete from job_secret;
alter table job_secret rename column ftp_password to ftp_password_sealed;
alter table job_secret alter column ftp_password_sealed type text;
