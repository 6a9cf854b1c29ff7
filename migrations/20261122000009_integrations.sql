-- Integrations: API tokens, SCIM provisioning, and notifications out through a durable outbox.

-- ---------------------------------------------------------------------------------------
-- API tokens: HR creates them; only the SHA-256 of the secret is kept.
-- ---------------------------------------------------------------------------------------

create table api_tokens (
    id            uuid primary key default gen_random_uuid(),
    name          text not null,
    token_hash    bytea not null,
    -- any of: read, write, scim, metrics
    scopes        text[] not null,
    created_by    uuid not null references people (id) on delete restrict,
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoked_by    uuid references people (id) on delete set null,
    last_used_at  timestamptz,
    created_at    timestamptz not null default now(),
    constraint api_tokens_hash_unique unique (token_hash),
    constraint api_tokens_name_not_blank check (btrim(name) <> ''),
    constraint api_tokens_scopes_valid
        check (cardinality(scopes) > 0 and scopes <@ array['read', 'write', 'scim', 'metrics']::text[]),
    constraint api_tokens_expiry_after_creation check (expires_at > created_at)
);
create index api_tokens_created_by_idx on api_tokens (created_by);
create index api_tokens_revoked_by_idx on api_tokens (revoked_by);

-- ---------------------------------------------------------------------------------------
-- SCIM: the identity provider's own id for a person.
-- ---------------------------------------------------------------------------------------

alter table people add column external_id text;
create unique index people_external_id_unique on people (external_id) where external_id is not null;
-- set when an identity provider deletes the person: they are terminated and gone from SCIM,
-- but their history stays
alter table people add column deprovisioned_at timestamptz;

-- ---------------------------------------------------------------------------------------
-- Notifications out: preferences per person and the outbox the worker drains.
-- ---------------------------------------------------------------------------------------

create table notification_preferences (
    person_id         uuid primary key references people (id) on delete cascade,
    email_enabled     boolean not null default true,
    -- immediate: one email per notification; daily_digest: one email per day
    email_mode        text not null default 'immediate',
    chat_enabled      boolean not null default false,
    -- a personal incoming webhook; null means the company-wide one from the configuration
    chat_webhook_url  text,
    updated_at        timestamptz not null default now(),
    constraint notification_preferences_email_mode_valid
        check (email_mode in ('immediate', 'daily_digest')),
    constraint notification_preferences_webhook_is_https_or_http
        check (chat_webhook_url is null or chat_webhook_url ~ '^https?://')
);

create table outbox (
    id               bigint generated always as identity primary key,
    -- one delivery per notification and channel; sent along as Message-ID / Idempotency-Key
    idempotency_key  text not null,
    channel          text not null,
    person_id        uuid not null references people (id) on delete cascade,
    notification_id  uuid references notifications (id) on delete set null,
    subject          text not null,
    body_text        text not null,
    link             text,
    -- set for email collected into the daily digest of that day
    digest_date      date,
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_error       text,
    sent_at          timestamptz,
    created_at       timestamptz not null default now(),
    constraint outbox_idempotency_key_unique unique (idempotency_key),
    constraint outbox_channel_valid check (channel in ('email', 'chat')),
    constraint outbox_attempts_not_negative check (attempts >= 0)
);
create index outbox_pending_idx on outbox (next_attempt_at) where sent_at is null;
create index outbox_person_idx on outbox (person_id);
create index outbox_notification_idx on outbox (notification_id);
