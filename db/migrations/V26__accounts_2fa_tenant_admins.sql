-- Accounts (issue 9): TOTP two-factor login with recovery codes, tenant administrators who can
-- disable their tenant's users, and login throttling by account and source address.

-- A user's TOTP secret, sealed with the job-secret key (AES-256-GCM, SecretCipher): a copy of the
-- database alone cannot mint codes. Pending until a first code confirms it (confirmed_at).
-- last_step is the 30-second step of the last code accepted: the same code is never taken twice.
create table user_totp (
    user_id       uuid primary key references app_user (id) on delete cascade,
    secret_sealed text        not null,
    created_at    timestamptz not null default now(),
    confirmed_at  timestamptz,
    last_step     bigint      not null default 0
);

-- Ten one-time recovery codes per enrolment, kept only as PasswordEncoder hashes.
create table user_recovery_code (
    id        uuid primary key,
    user_id   uuid        not null references app_user (id) on delete cascade,
    code_hash varchar(200) not null,
    used_at   timestamptz
);
create index user_recovery_code_user on user_recovery_code (user_id) where used_at is null;

-- Like api_token: looked up at login before any tenant is known, yet a customer's connection
-- still sees only rows of its tenant's users.
alter table user_totp enable row level security;
alter table user_totp force row level security;
create policy tenant_rows on user_totp
    using (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = user_totp.user_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = user_totp.user_id and u.tenant_id = lodge_current_tenant()));
alter table user_recovery_code enable row level security;
alter table user_recovery_code force row level security;
create policy tenant_rows on user_recovery_code
    using (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = user_recovery_code.user_id and u.tenant_id = lodge_current_tenant()))
    with check (lodge_current_tenant() is null
           or exists (select 1 from app_user u where u.id = user_recovery_code.user_id and u.tenant_id = lodge_current_tenant()));

-- Tenant administrators manage their own tenant's users; like customers, they belong to one tenant.
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check check (role in ('STAFF', 'CUSTOMER', 'TENANT_ADMIN'));
-- A disabled user cannot log in, by password or by token; the row (and its audit trail) stays.
alter table app_user add column disabled_at timestamptz;

-- The throttle counts failures per source address too (all accounts from one address).
create index audit_event_remote_at on audit_event (remote_addr, kind, at);
-- A password someone else chose (a tenant administrator's new user or reset) is changed by its
-- owner before anything else.
alter table app_user add column must_change_password boolean not null default false;
