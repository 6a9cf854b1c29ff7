-- Single sign-on with OpenID Connect.

-- A person's account at an identity provider. The issuer and the subject ("sub") together name
-- that account for good, even when its email changes later, so a person is found by it first
-- and by email only on their first single sign-on.
create table person_identities (
    issuer        text not null,
    subject       text not null,
    person_id     uuid not null references people (id) on delete cascade,
    -- the email the provider gave when the account was linked (for HR's questions later)
    linked_email  text not null,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz not null default now(),
    constraint person_identities_pkey primary key (issuer, subject),
    -- one account per person at each provider: a second one with the same email is refused
    constraint person_identities_one_per_issuer unique (person_id, issuer)
);

-- A sign-in that went to the identity provider and has not come back yet. The browser holds
-- the random `state` (a cookie, and the provider echoes it); the database holds only its
-- SHA-256, the nonce and the PKCE verifier, so whichever app server the provider sends the
-- browser back to can finish the sign-in. Each row is used once and lives ten minutes.
create table oidc_login_attempts (
    state_hash     bytea primary key,
    nonce          text not null,
    pkce_verifier  text not null,
    next_path      text not null default '/',
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    constraint oidc_login_attempts_next_is_local check (next_path like '/%')
);
create index oidc_login_attempts_expires_idx on oidc_login_attempts (expires_at);
