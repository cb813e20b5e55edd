-- Consoles go through each node's console gateway, which finds the unit's console in libvirt at
-- connect time: no console port is stored any more.
alter table unit drop column console_port;
-- Where the portal reaches the node's console gateway (console_host, kept, is its address).
alter table node add column console_port integer;

-- One-time console tickets, only a SHA-256 of each token: PAGE tickets go to the browser and are
-- spent by the portal's WebSocket handshake, GATEWAY tokens stay in the portal and are spent by
-- the node's gateway. Both are deleted by their first presentation (DELETE ... RETURNING).
create table console_ticket (
    token_hash  bytea       primary key,
    purpose     varchar(8)  not null check (purpose in ('PAGE', 'GATEWAY')),
    username    varchar(64) not null,
    unit_id     uuid        not null references unit (id) on delete cascade,
    expires_at  timestamptz not null
);
create index console_ticket_expires on console_ticket (expires_at);

-- Consoles open right now (one row per relay of a gateway), for the per-user cap. A gateway
-- removes its node's rows when it starts: its relays died with the previous process.
create table console_session (
    id         uuid        primary key,
    node_name  varchar(63) not null references node (name) on delete cascade,
    username   varchar(64) not null,
    unit_id    uuid        not null references unit (id) on delete cascade,
    opened_at  timestamptz not null default now()
);
create index console_session_username on console_session (username);
