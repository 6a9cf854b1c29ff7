-- Account security for password sign-in: throttling failed sign-ins, and single-use links to
-- reset a forgotten password. Both tables live in PostgreSQL so that every app server behind
-- the load balancer sees the same counts and links; both clean themselves up.

-- Password sign-in attempts per email (lower-cased, trimmed), counted whether or not an
-- account has that email, so the answer never tells who has an account. One row per email
-- that recently failed; one upsert per attempt keeps the count right when several servers
-- count at once. A successful sign-in deletes the row; rows whose window is over and that are
-- not locked are deleted by later attempts.
create table sign_in_throttle (
    email_key          text not null,
    -- attempts in the current window (an attempt counts before its password is checked)
    failures           integer not null,
    window_started_at  timestamptz not null default now(),
    -- while in the future, password attempts for this email are refused unchecked
    locked_until       timestamptz,
    constraint sign_in_throttle_pkey primary key (email_key),
    constraint sign_in_throttle_key_length check (char_length(email_key) <= 320),
    constraint sign_in_throttle_failures_positive check (failures > 0)
);
create index sign_in_throttle_window_idx on sign_in_throttle (window_started_at);

-- "Forgot your password?" links. The email carries 32 random bytes; only their SHA-256 is
-- kept. A link works once, for an hour; used and expired ones are kept a day (so the page can
-- say "this link was used" rather than "unknown"), then deleted by later requests.
create table password_reset_tokens (
    token_hash   bytea not null,
    person_id    uuid not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    used_at      timestamptz,
    constraint password_reset_tokens_pkey primary key (token_hash),
    constraint password_reset_tokens_person_fk
        foreign key (person_id) references people (id) on delete cascade,
    constraint password_reset_tokens_hash_is_sha256 check (octet_length(token_hash) = 32),
    constraint password_reset_tokens_expires_after_created check (expires_at > created_at),
    constraint password_reset_tokens_used_after_created check (used_at is null or used_at >= created_at)
);
-- the hourly limit of links per person, and the person's open links when one is used
create index password_reset_tokens_person_idx on password_reset_tokens (person_id, created_at);
create index password_reset_tokens_expires_idx on password_reset_tokens (expires_at);
