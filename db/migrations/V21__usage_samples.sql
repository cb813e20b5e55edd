-- Usage of every running unit, sampled once a minute by its node's worker (UsageCollector), kept
-- for years at a cost that does not grow with the history: native range partitioning by time,
-- retention by dropping whole partitions (UsagePartitions, Quartz), never a mass DELETE.
--
--   usage_sample  one row per unit per minute, raw cumulative counters, daily partitions, ~14 days
--   usage_5m      five-minute roll-ups (deltas, not counters), monthly partitions, ~3 months
--   usage_hour    hourly roll-ups, monthly partitions, ~13 months
--
-- Counters are stored as read (CPU time since the unit's start, bytes since its interface came
-- up): a rate is the difference to the unit's previous sample, and a difference below zero is a
-- counter that restarted with the unit (its delta is then the new value, never negative).
-- No foreign key to unit: a deleted unit's history (its traffic, for billing) outlives it.

create table usage_sample (
    unit_id          uuid        not null,
    tenant_id        uuid        not null,
    at               timestamptz not null,
    cpu_ns           bigint,
    memory_bytes     bigint,
    disk_used_bytes  bigint,
    disk_read_bytes  bigint,
    disk_write_bytes bigint,
    net_in_bytes     bigint,
    net_out_bytes    bigint,
    primary key (unit_id, at)
) partition by range (at);

-- A roll-up row holds what happened in its bucket: CPU time and bytes moved (sums of deltas),
-- over `seconds` of observed time (so a rate never counts a gap as idle time), memory and disk use.
create table usage_5m (
    unit_id             uuid        not null,
    tenant_id           uuid        not null,
    bucket              timestamptz not null,
    samples             integer     not null,
    seconds             integer     not null,
    cpu_ns              bigint      not null,
    memory_avg_bytes    bigint,
    memory_max_bytes    bigint,
    disk_used_bytes     bigint,
    disk_read_bytes     bigint      not null,
    disk_write_bytes    bigint      not null,
    net_in_bytes        bigint      not null,
    net_out_bytes       bigint      not null,
    primary key (unit_id, bucket)
) partition by range (bucket);

-- The same shape, one row per hour.
create table usage_hour (like usage_5m including all) partition by range (bucket);

-- Row-level security as for every tenant-owned table (V10): on the parents (what queries go
-- through) and on every partition (usage_create_partition), which are tables of their own.
alter table usage_sample enable row level security;
alter table usage_sample force row level security;
create policy tenant_rows on usage_sample
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
alter table usage_5m enable row level security;
alter table usage_5m force row level security;
create policy tenant_rows on usage_5m
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());
alter table usage_hour enable row level security;
alter table usage_hour force row level security;
create policy tenant_rows on usage_hour
    using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())
    with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant());

-- How far each roll-up level has been computed (its next bucket starts there).
create table usage_rollup_mark (
    level      varchar(8)  primary key,
    done_until timestamptz not null
);

-- One partition of a usage table with its row security; false when it exists already. Serialised
-- by an advisory lock: every portal and worker may ask for the same partition at once.
create function usage_create_partition(parent text, part text, lower timestamptz, upper timestamptz)
    returns boolean language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('lodge.usage_partitions'));
    if to_regclass(part) is not null then
        return false;
    end if;
    execute format('create table %I partition of %I for values from (%L) to (%L)', part, parent, lower, upper);
    execute format('alter table %I enable row level security', part);
    execute format('alter table %I force row level security', part);
    execute format('create policy tenant_rows on %I'
                   ' using (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())'
                   ' with check (lodge_current_tenant() is null or tenant_id = lodge_current_tenant())', part);
    return true;
end $$;

-- Monthly traffic per unit (UTC months), for billing: from the hourly roll-ups, kept 13 months.
create view usage_traffic_month as
select unit_id, tenant_id, date_trunc('month', bucket, 'UTC') as month,
       sum(net_in_bytes) as net_in_bytes, sum(net_out_bytes) as net_out_bytes
  from usage_hour
 group by unit_id, tenant_id, date_trunc('month', bucket, 'UTC');
