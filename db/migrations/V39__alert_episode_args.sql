-- The parameters of an alert's detail line (percentages, a node's name, a time as ISO-8601, a
-- unit's state), so that its e-mail says the detail in each reader's language from the kind's
-- message (i18n/mail: mail.alert.detail.<KIND>). The English line in `message` stays for pages and
-- logs; an episode opened before this column has no parameters and its mail shows that line.
alter table alert_episode add column args text[];
