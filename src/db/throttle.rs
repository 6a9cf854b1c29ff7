//! Throttling password attempts by exponential back-off, in PostgreSQL (`auth_throttle`), so
//! every app server sees the same counts. An attempt is counted under several keys at once:
//!
//! - [`ADDRESS`]: every password attempt from one client address (sign-in, forgotten password,
//!   change password). A rate limit per address: a flood from one place is refused cheaply,
//!   without hashing, once it is past [`ADDRESS`]'s free failures. A successful sign-in gives
//!   its attempt back.
//! - [`PAIR`]: failed guesses at one account from one address. Someone guessing from address A
//!   slows only themselves: the owner at address B is not affected.
//! - [`ACCOUNT`]: failed guesses at one account from addresses that never signed in to it, so
//!   one guess per account from each of many addresses is slowed too. Gentler (shorter delays),
//!   and skipped from the addresses the person signed in from before ([`remember_address`]),
//!   so it never locks the owner out of their usual place.
//!
//! No key ever locks for good: past its free failures, each further failure doubles the pause
//! (from the policy's first delay up to its longest), and attempts during a pause are refused
//! without checking a password and without counting. A key that was quiet for its idle time
//! starts again from zero.
//!
//! An attempt is counted *before* its password is checked (one upsert, serialised by the row
//! locks), so however many attempts arrive at once on however many servers, no more passwords
//! are checked than the policies allow.

use time::OffsetDateTime;

/// The rules of one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures counted before the back-off starts.
    pub free_failures: i32,
    /// The pause after the first failure past the free ones; each further failure doubles it.
    pub first_delay_secs: i32,
    /// The longest pause.
    pub max_delay_secs: i32,
    /// Minutes without failures after which the count starts again.
    pub idle_minutes: i32,
}

/// Every password attempt from one client address.
pub const ADDRESS: Policy = Policy {
    free_failures: 100,
    first_delay_secs: 10,
    max_delay_secs: 15 * 60,
    idle_minutes: 15,
};

/// Failed guesses at one account from one address.
pub const PAIR: Policy = Policy {
    free_failures: 5,
    first_delay_secs: 30,
    max_delay_secs: 15 * 60,
    idle_minutes: 60,
};

/// Failed guesses at one account from addresses it never signed in from.
pub const ACCOUNT: Policy = Policy {
    free_failures: 20,
    first_delay_secs: 10,
    max_delay_secs: 5 * 60,
    idle_minutes: 60,
};

/// How long an address stays "usual" for a person after their last sign-in from it.
pub const KNOWN_ADDRESS_DAYS: i32 = 90;

/// One key of an attempt and its policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub key: String,
    pub policy: Policy,
}

impl Key {
    /// All password attempts from `address`.
    pub fn address(address: &str) -> Key {
        Key {
            key: format!("address:{address}"),
            policy: ADDRESS,
        }
    }

    /// Guesses at `email` from `address`.
    pub fn pair(address: &str, email: &str) -> Key {
        Key {
            key: format!("pair:{address}|{}", email_key(email)),
            policy: PAIR,
        }
    }

    /// Guesses at `email` from addresses it is not used from.
    pub fn account(email: &str) -> Key {
        Key {
            key: format!("account:{}", email_key(email)),
            policy: ACCOUNT,
        }
    }
}

/// What the throttle says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password. `paused_if_wrong` is when attempts are refused again if this one
    /// turns out wrong (it was past the free failures of some key); `None` if they are not.
    Allowed {
        paused_if_wrong: Option<OffsetDateTime>,
    },
    /// Refuse without checking the password until then.
    Paused { until: OffsetDateTime },
}

/// The key an email is counted under: trimmed, lower-case, at most 320 characters.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(320).collect()
}

/// The keys of a password attempt at `email` from `address`: the address, the pair, and the
/// account unless the person signed in from this address before.
pub async fn keys_for<'e, E>(
    executor: E,
    address: &str,
    email: &str,
) -> Result<Vec<Key>, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let known = sqlx::query_scalar!(
        r#"select exists(
               select 1 from sign_in_known_addresses
               where email_key = $1 and address = $2
                 and last_success_at > now() - make_interval(days => $3)) as "known!""#,
        email_key(email),
        address,
        KNOWN_ADDRESS_DAYS
    )
    .fetch_one(executor)
    .await?;
    let mut keys = vec![Key::address(address), Key::pair(address, email)];
    if !known {
        keys.push(Key::account(email));
    }
    Ok(keys)
}

/// Count one password attempt under every one of `keys` and say whether to check it.
///
/// One statement. When some key is paused the attempt is refused and nothing is counted.
/// Otherwise each key counts it (a key quiet for its idle time starts again at one), and a
/// key past its free failures pauses from now on for its delay (lifted by [`succeeded`] if
/// the password turns out right). Rows of other keys that are quiet and not paused are deleted
/// on the way, which keeps the table to the last hour's keys.
pub async fn attempt<'e, E>(executor: E, keys: &[Key]) -> Result<Attempt, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let names: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
    let free: Vec<i32> = keys.iter().map(|k| k.policy.free_failures).collect();
    let first: Vec<i32> = keys.iter().map(|k| k.policy.first_delay_secs).collect();
    let max: Vec<i32> = keys.iter().map(|k| k.policy.max_delay_secs).collect();
    let idle: Vec<i32> = keys.iter().map(|k| k.policy.idle_minutes).collect();
    let row = sqlx::query!(
        r#"
        with purge as (
            delete from auth_throttle
            where last_failure_at < now() - make_interval(mins => idle_minutes)
              and (blocked_until is null or blocked_until <= now())
              and not (key = any($1))
        ),
        paused as (
            select max(blocked_until) as until from auth_throttle
            where key = any($1) and blocked_until > now()
        ),
        input as (
            select * from unnest($1::text[], $2::int4[], $3::int4[], $4::int4[], $5::int4[])
                as i(key, free_failures, first_delay_secs, max_delay_secs, idle_minutes)
        ),
        counted as (
            insert into auth_throttle as t (key, failures, last_failure_at, blocked_until,
                counted_in, free_failures, first_delay_secs, max_delay_secs, idle_minutes)
            select key, 1, now(),
                   case when free_failures < 1 then now() + make_interval(secs => first_delay_secs) end,
                   pg_current_xact_id(), free_failures, first_delay_secs, max_delay_secs, idle_minutes
            from input
            where (select until from paused) is null
            on conflict on constraint auth_throttle_pkey do update set
                failures = case
                    when t.blocked_until > now() then t.failures
                    when t.last_failure_at < now() - make_interval(mins => t.idle_minutes) then 1
                    else t.failures + 1 end,
                last_failure_at = case
                    when t.blocked_until > now() then t.last_failure_at else now() end,
                blocked_until = case
                    when t.blocked_until > now() then t.blocked_until
                    when t.last_failure_at < now() - make_interval(mins => t.idle_minutes)
                        then case when excluded.free_failures < 1
                             then now() + make_interval(secs => excluded.first_delay_secs) end
                    when t.failures + 1 > excluded.free_failures
                        then now() + make_interval(secs => least(excluded.max_delay_secs::float8,
                             excluded.first_delay_secs::float8
                             * power(2::float8, least(t.failures - excluded.free_failures, 30))))
                    else null end,
                counted_in = case
                    when t.blocked_until > now() then t.counted_in else pg_current_xact_id() end,
                free_failures = excluded.free_failures,
                first_delay_secs = excluded.first_delay_secs,
                max_delay_secs = excluded.max_delay_secs,
                idle_minutes = excluded.idle_minutes
            returning t.blocked_until, t.counted_in = pg_current_xact_id() as counted
        )
        select (select until from paused) as paused,
               (select max(blocked_until) from counted where not counted) as raced,
               (select max(blocked_until) from counted where counted) as if_wrong
        "#,
        &names,
        &free,
        &first,
        &max,
        &idle
    )
    .fetch_one(executor)
    .await?;
    Ok(match row.paused.or(row.raced) {
        Some(until) => Attempt::Paused { until },
        None => Attempt::Allowed {
            paused_if_wrong: row.if_wrong,
        },
    })
}

/// The password was right: forget the failures of this address at this account, give the
/// address and the account their attempt back, and remember the address as one the person
/// uses.
pub async fn succeeded<'e, E>(executor: E, address: &str, email: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let pair = Key::pair(address, email).key;
    let by_address = Key::address(address).key;
    sqlx::query!(
        r#"
        with forget as (
            delete from auth_throttle where key = $1
        ),
        refund as (
            update auth_throttle set failures = failures - 1
            where (key = $2 or key = $6) and failures > 1
        ),
        refunded as (
            delete from auth_throttle
            where (key = $2 or key = $6) and failures <= 1
              and (blocked_until is null or blocked_until <= now())
        ),
        old as (
            delete from sign_in_known_addresses
            where last_success_at < now() - make_interval(days => $5)
        )
        insert into sign_in_known_addresses (email_key, address, last_success_at)
        values ($3, $4, now())
        on conflict on constraint sign_in_known_addresses_pkey
        do update set last_success_at = now()
        "#,
        pair,
        by_address,
        email_key(email),
        address,
        KNOWN_ADDRESS_DAYS,
        Key::account(email).key
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Forget every failure at `email` (the person proved they read their email, or chose a new
/// password while signed in): the account's key and the pairs of every address.
pub async fn clear_account<'e, E>(executor: E, email: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let email = email_key(email);
    sqlx::query!(
        "delete from auth_throttle where key = $1 or (key like 'pair:%' and split_part(key, '|', 2) = $2)",
        format!("account:{email}"),
        email
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Whole seconds from now until `until`, at least 1 (for `Retry-After`).
pub fn seconds_until(until: OffsetDateTime) -> u64 {
    let left = until - OffsetDateTime::now_utc();
    let whole = left.whole_seconds() + i64::from(left.subsec_nanoseconds() > 0);
    u64::try_from(whole).unwrap_or(0).max(1)
}

/// "30 seconds", "2 minutes": how long a pause lasts, for the person paused.
pub fn wait_in_words(seconds: u64) -> String {
    if seconds < 90 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", seconds.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_counted_regardless_of_case_and_spaces() {
        assert_eq!(email_key("  Ada@Example.COM "), "ada@example.com");
        assert_eq!(email_key(&"a".repeat(400)).len(), 320);
        assert_eq!(
            Key::pair("10.0.0.1", " Ada@Example.com").key,
            "pair:10.0.0.1|ada@example.com"
        );
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(seconds_until(now - time::Duration::seconds(5)), 1);
        let s = seconds_until(now + time::Duration::minutes(15));
        assert!((899..=900).contains(&s), "{s}");
        assert_eq!(wait_in_words(30), "30 seconds");
        assert_eq!(wait_in_words(900), "15 minutes");
    }

    #[test]
    fn the_account_back_off_is_gentler_than_the_pair_back_off() {
        const { assert!(ACCOUNT.free_failures > PAIR.free_failures) };
        const { assert!(ACCOUNT.max_delay_secs < PAIR.max_delay_secs) };
    }
}
