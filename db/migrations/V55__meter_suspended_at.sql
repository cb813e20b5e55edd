-- A meter's suspension gets its own event time (docs/billing.md, "Metering"). With one time for
-- shape and suspension, a suspension delivered before an older resize (a restart redelivers
-- outstanding events in any order) made the meter drop the resize for good.
alter table billing_meter add column suspended_at timestamptz;
update billing_meter set suspended_at = shape_at;
alter table billing_meter alter column suspended_at set not null;
comment on column billing_meter.shape_at is 'the time of the event the shape is from: an older, redelivered one never overrides it';
comment on column billing_meter.suspended_at is 'the time of the event the suspension state is from, likewise';
