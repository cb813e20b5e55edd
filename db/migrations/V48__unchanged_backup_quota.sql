-- Issue 8, an unchanged backup's check-size without a second restic call (docs/backups.md, "Quota").
-- The snapshot a backup was found unchanged against (its tree is that snapshot's), null otherwise.
alter table backup add column unchanged_from varchar(64);
-- Which snapshots the tenant's last measure in a repository covered: SHA-256 (hex) of their sorted
-- ids. An unchanged backup reuses that measure when it covered exactly the others, its parent among them.
alter table backup_usage add column snapshot_set char(64);
