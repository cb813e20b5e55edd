-- Bulk actions: staff select units and ask one action of them all; each unit gets its own job
-- (the one-active-job-per-unit rule still holds), and the batch remembers which job each unit
-- got, or why it was skipped. Batches are staff work: customers' connections see no rows.
create table job_batch (
    id          uuid primary key,
    action      varchar(40)  not null,
    created_by  varchar(100) not null,
    created_at  timestamptz  not null default now()
);

create table job_batch_item (
    batch_id       uuid not null references job_batch (id) on delete cascade,
    position       int  not null,
    unit_id        uuid not null,
    unit_label     varchar(253) not null,
    job_id         uuid references provisioning_job (id) on delete set null,
    skipped_reason text,
    primary key (batch_id, position)
);
create index job_batch_item_job on job_batch_item (job_id);

alter table job_batch enable row level security;
alter table job_batch force row level security;
create policy staff_rows on job_batch using (lodge_current_tenant() is null) with check (lodge_current_tenant() is null);
alter table job_batch_item enable row level security;
alter table job_batch_item force row level security;
create policy staff_rows on job_batch_item using (lodge_current_tenant() is null) with check (lodge_current_tenant() is null);

-- The paged lists' orders (EXPLAIN showed a sort of every row for these before).
create index unit_created on unit (created_at, id);
create index unit_state_domain on unit (state, domain);
create index provisioning_job_created on provisioning_job (created_at desc);
create index provisioning_job_unit_created on provisioning_job (unit_id, created_at desc);
-- The dashboard's failed jobs of the last 24 hours, without reading every job.
create index provisioning_job_failed on provisioning_job (finished_at desc) where state = 'KO';
