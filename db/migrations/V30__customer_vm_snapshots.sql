-- Staff may open a VM's snapshots to its tenant's customers, with a cap: 0 (the default) keeps
-- snapshots staff work; n > 0 lets the customers create, revert and delete snapshots of that VM
-- while it holds fewer than n. Per unit, not per tenant: a VM's snapshots live in its own qcow2
-- overlay on its node, so what staff weigh is that VM's disk and node (and its plan), as with the
-- other per-unit overrides.
alter table unit add column customer_snapshots integer not null default 0
    check (customer_snapshots between 0 and 20);
