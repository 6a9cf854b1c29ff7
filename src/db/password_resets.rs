//! "Forgot your password?" links: 32 random bytes in the email, only their SHA-256 in
//! `password_reset_tokens`; each works once, for [`LINK_MINUTES`].

//! Functions take the token's SHA-256 (`crate::http::session::token_hash`), never the token.

use uuid::Uuid;

/// How long a reset link works.
pub const LINK_MINUTES: i32 = 60;
/// Links one person may be sent per hour; more requests are answered the same but send nothing.
pub const LINKS_PER_HOUR: i64 = 3;

/// Who a reset link belongs to, and whether it still works.
#[derive(Debug, Clone)]
pub enum Link {
    /// No such link (or it was cleaned up long after it expired).
    Unknown,
    /// Used already, expired, or its person can no longer sign in with a password.
    Spent,
    /// The link works.
    Valid {
        person_id: Uuid,
        email: String,
        password_hash: Option<String>,
    },
}

/// Make a new link for `person_id` unless they had [`LINKS_PER_HOUR`] in the last hour.
/// Returns true when the link was stored. Call inside the transaction that queues the email:
/// a per-person advisory lock makes the hourly count exact across servers.
pub async fn create(
    conn: &mut sqlx::PgConnection,
    person_id: Uuid,
    hash: &[u8],
) -> Result<bool, sqlx::Error> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('password_reset:' || $1::text, 0))",
        person_id.to_string()
    )
    .execute(&mut *conn)
    .await?;
    // Links are kept a day after they expire, to say "used" or "expired" rather than "unknown".
    sqlx::query!("delete from password_reset_tokens where expires_at < now() - interval '1 day'")
        .execute(&mut *conn)
        .await?;
    let recent = sqlx::query_scalar!(
        r#"select count(*) as "n!" from password_reset_tokens
           where person_id = $1 and created_at > now() - interval '1 hour'"#,
        person_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if recent >= LINKS_PER_HOUR {
        return Ok(false);
    }
    sqlx::query!(
        "insert into password_reset_tokens (token_hash, person_id, expires_at)
         values ($1, $2, now() + make_interval(mins => $3))",
        hash,
        person_id,
        LINK_MINUTES
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// What the link whose token hashes to `hash` is.
pub async fn find<'e, E>(executor: E, hash: &[u8]) -> Result<Link, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let row = sqlx::query!(
        r#"select t.person_id, p.email, p.password_hash,
                  (t.used_at is null and t.expires_at > now()
                   and p.employment_status <> 'terminated' and p.password_hash is not null) as "usable!"
           from password_reset_tokens t join people p on p.id = t.person_id
           where t.token_hash = $1"#,
        hash
    )
    .fetch_optional(executor)
    .await?;
    Ok(match row {
        None => Link::Unknown,
        Some(r) if !r.usable => Link::Spent,
        Some(r) => Link::Valid {
            person_id: r.person_id,
            email: r.email,
            password_hash: r.password_hash,
        },
    })
}

/// Use the link: true when it still worked (exactly one caller wins a race). Every other open
/// link of the same person stops working too.
pub async fn consume(
    conn: &mut sqlx::PgConnection,
    hash: &[u8],
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let used = sqlx::query!(
        "update password_reset_tokens set used_at = now()
         where token_hash = $1 and person_id = $2 and used_at is null and expires_at > now()",
        hash,
        person_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if used == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "update password_reset_tokens set used_at = now()
         where person_id = $1 and used_at is null",
        person_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
