//! Password sign-in throttling, per email: after [`MAX_ATTEMPTS`] failed attempts within
//! [`WINDOW_MINUTES`], password attempts for that email are refused, without checking the
//! password, for [`LOCK_MINUTES`]. The count lives in `sign_in_throttle`, so every app server
//! sees the same one.
//!
//! An attempt is counted *before* its password is checked (one upsert, serialised by the
//! row lock), so however many attempts arrive at once on however many servers, at most
//! [`MAX_ATTEMPTS`] passwords are checked per window. A successful sign-in clears the count.

use time::OffsetDateTime;

/// Failed password attempts for one email allowed within the window.
pub const MAX_ATTEMPTS: i32 = 10;
/// The window the attempts are counted in.
pub const WINDOW_MINUTES: i32 = 15;
/// How long password attempts are refused after the last allowed one failed.
pub const LOCK_MINUTES: i32 = 15;

/// What the throttle says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password. `last` is true for the last attempt before the lock: if it fails,
    /// the email is locked from now on.
    Allowed { last: bool },
    /// Refuse without checking the password until then.
    Locked { until: OffsetDateTime },
}

/// The key an email is counted under: trimmed, lower-case, at most 320 characters.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(320).collect()
}

/// Count one password attempt for `key` (see [`email_key`]) and say whether to check it.
///
/// One statement: a window that is over, or a lock that ran out, starts a new count; the
/// attempt that reaches [`MAX_ATTEMPTS`] sets the lock (lifted again by [`clear`] if its
/// password turns out right); attempts while locked are counted past the limit and leave the
/// lock as it is. Rows of other emails whose window is over and that are not locked are
/// deleted on the way, which keeps the table to the last few minutes' emails.
pub async fn attempt<'e, E>(executor: E, key: &str) -> Result<Attempt, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let row = sqlx::query!(
        r#"
        with purge as (
            delete from sign_in_throttle
            where email_key <> $1
              and window_started_at < now() - make_interval(mins => $3)
              and (locked_until is null or locked_until <= now())
        )
        insert into sign_in_throttle as t (email_key, failures, window_started_at, locked_until)
        values ($1, 1, now(), case when $2 <= 1 then now() + make_interval(mins => $4) end)
        on conflict on constraint sign_in_throttle_pkey do update set
            failures = case
                when t.window_started_at < now() - make_interval(mins => $3)
                     or t.locked_until <= now() then 1
                else t.failures + 1 end,
            window_started_at = case
                when t.window_started_at < now() - make_interval(mins => $3)
                     or t.locked_until <= now() then now()
                else t.window_started_at end,
            locked_until = case
                when t.window_started_at < now() - make_interval(mins => $3)
                     or t.locked_until <= now() then null
                when t.locked_until > now() then t.locked_until
                when t.failures + 1 >= $2 then now() + make_interval(mins => $4)
                else null end
        returning failures, locked_until
        "#,
        key,
        MAX_ATTEMPTS,
        WINDOW_MINUTES,
        LOCK_MINUTES
    )
    .fetch_one(executor)
    .await?;
    Ok(match row.locked_until {
        Some(until) if row.failures > MAX_ATTEMPTS => Attempt::Locked { until },
        _ => Attempt::Allowed {
            last: row.failures >= MAX_ATTEMPTS,
        },
    })
}

/// Forget the count for `key`: the person proved they know the password (or chose a new one).
pub async fn clear<'e, E>(executor: E, key: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    sqlx::query!("delete from sign_in_throttle where email_key = $1", key)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_counted_regardless_of_case_and_spaces() {
        assert_eq!(email_key("  Ada@Example.COM "), "ada@example.com");
        assert_eq!(email_key(&"a".repeat(400)).len(), 320);
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(seconds_until(now - time::Duration::seconds(5)), 1);
        let s = seconds_until(now + time::Duration::minutes(15));
        assert!((899..=900).contains(&s), "{s}");
    }
}
