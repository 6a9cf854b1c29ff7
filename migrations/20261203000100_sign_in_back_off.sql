-- Password attempts are throttled by exponential back-off per key instead of a hard lock per
-- email (which let anyone lock any account with ten requests). A key is one of:
--   address:<ip>               every password attempt from one client address (sign-in,
--                              forgotten password, change password): a rate limit per address
--   pair:<ip>|<email>          failed guesses at one account from one address
--   account:<email>            failed guesses at one account from addresses that never signed
--                              in to it (a gentle back-off; the owner's usual addresses skip it)
-- Each row carries its policy, so one upsert per attempt updates every key of the attempt and
-- the same rules hold on every app server. See src/db/throttle.rs.
create table auth_throttle (
    key               text not null,
    -- failed (or still unfinished) attempts counted since the key was last quiet
    failures          integer not null,
    last_failure_at   timestamptz not null default now(),
    -- while in the future, attempts under this key are refused without checking a password
    blocked_until     timestamptz,
    -- the transaction that counted the last attempt (tells the attempt whether it was counted)
    counted_in        xid8,
    -- the policy: failures allowed before the back-off starts, its first and longest delay,
    -- and how long the key must be quiet for its count to start again
    free_failures     integer not null,
    first_delay_secs  integer not null,
    max_delay_secs    integer not null,
    idle_minutes      integer not null,
    constraint auth_throttle_pkey primary key (key),
    constraint auth_throttle_key_length check (char_length(key) <= 400),
    constraint auth_throttle_failures_not_negative check (failures >= 0),
    constraint auth_throttle_policy_positive check (
        free_failures >= 0 and first_delay_secs > 0 and max_delay_secs >= first_delay_secs
        and idle_minutes > 0)
);
create index auth_throttle_last_failure_idx on auth_throttle (last_failure_at);

-- Addresses a person signed in from with their password: there, the per-account back-off does
-- not apply, so guesses from elsewhere never lock the owner out of their usual place. Kept 90
-- days after the last successful sign-in.
create table sign_in_known_addresses (
    email_key        text not null,
    address          text not null,
    last_success_at  timestamptz not null default now(),
    constraint sign_in_known_addresses_pkey primary key (email_key, address),
    constraint sign_in_known_addresses_key_length check (char_length(email_key) <= 320),
    constraint sign_in_known_addresses_address_length check (char_length(address) <= 64)
);
create index sign_in_known_addresses_seen_idx on sign_in_known_addresses (last_success_at);

-- The per-email lock is gone.
drop table sign_in_throttle;
