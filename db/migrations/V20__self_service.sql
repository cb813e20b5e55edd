-- API tokens (issue 9): a user's named, scoped, expiring, revocable bearer tokens for /api/**.
-- Only the SHA-256 of a token is kept: the token is 256 random bits, so a fast hash is enough
-- (nothing to brute-force) and a lookup per request costs one index probe, not a bcrypt round.
create table api_token (
    id             uuid primary key,
    user_id        uuid         not null references app_user (id) on delete cascade,
    name           varchar(64)  not null,
    token_sha256   bytea        not null unique check (length(token_sha256) = 32),
    read_only      boolean      not null,
    created_at     timestamptz  not null default now(),
    expires_at     timestamptz  not null,
    revoked_at     timestamptz,
    last_used_at   timestamptz,
    last_used_from varchar(64),
    check (expires_at > created_at)
);
-- A name says which token is which: unique among a user's tokens still in force.
create unique index api_token_active_name on api_token (user_id, name) where revoked_at is null;
create index api_token_user on api_token (user_id, created_at desc);

-- Tokens carry no tenant column (they are looked up by hash before anyone's tenant is known, as
-- app_user is at login), but a customer's connection still sees only tokens of its tenant's users.
alter table api_token enable row level security;
alter table api_token force row level security;
create policy tenant_rows on api_token
    using (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = api_token.user_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = api_token.user_id and u.tenant_id = lodge_current_tenant()));
