-- A failed backup's alert keeps its reason by code and arguments (bundle i18n/backup), as the backup
-- row itself does (V47), beside the English reason in args[2]: pages and mails say the reason from
-- them in the reader's language. Episodes stored it as a JSON text in args[2]; they are moved here.
alter table alert_episode add column reason_code varchar(100);
alter table alert_episode add column reason_args jsonb;

update alert_episode
   set reason_code = args[2]::jsonb ->> 'code', reason_args = args[2]::jsonb -> 'args', args[2] = args[2]::jsonb ->> 'words'
 where kind = 'BACKUP_FAILED' and args[2] like '{"code"%';
