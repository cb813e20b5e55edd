-- A job log line may carry a message code and its arguments, so pages render it in the reader's
-- language (bundle i18n/joblog); message keeps the English text for staff tools, grep and old rows.
-- detail is the error text after "code's words: " (tool output, exception text), shown to staff only.
alter table job_log add column code varchar(100);
alter table job_log add column args jsonb;
alter table job_log add column detail text;

-- A failed backup's reason the same way (bundle i18n/backup), beside its English reason.
alter table backup add column reason_code varchar(100);
alter table backup add column reason_args jsonb;
