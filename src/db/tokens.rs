//! API tokens: created by HR, stored as a SHA-256 hash, revocable, every use audited.

use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::domain::secret::{random_token, token_hash};

/// The scopes a token may carry.
pub const SCOPES: [&str; 4] = ["read", "write", "scim", "metrics"];

/// Prefix of every token secret, so secret scanners can spot a leaked one.
pub const TOKEN_PREFIX: &str = "trl_";

/// A token as HR sees it (never the secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_by: Uuid,
    pub created_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// `active`, `expired` or `revoked`.
    pub state: String,
}

/// The identity a valid token gives a request (in the request extensions).
#[derive(Debug, Clone)]
pub struct TokenIdentity {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<String>,
    /// The HR admin who created the token; the token acts with their authority.
    pub created_by: Uuid,
    pub created_by_email: String,
}

impl TokenIdentity {
    /// True when the token carries `scope`.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// All tokens, newest first.
pub async fn list(db: &PgPool) -> Result<Vec<ApiToken>, sqlx::Error> {
    sqlx::query_as!(
        ApiToken,
        r#"
        select t.id, t.name, t.scopes, t.created_by, p.display_name as created_by_name,
               t.expires_at, t.revoked_at, t.last_used_at, t.created_at,
               case when t.revoked_at is not null then 'revoked'
                    when t.expires_at <= now() then 'expired'
                    else 'active' end as "state!"
        from api_tokens t
        join people p on p.id = t.created_by
        order by t.created_at desc
        "#
    )
    .fetch_all(db)
    .await
}

/// Create a token; returns it and its secret (shown once, never stored).
pub async fn create(
    db: &PgPool,
    by: Uuid,
    name: &str,
    scopes: &[String],
    expires_at: OffsetDateTime,
) -> Result<(Uuid, String), sqlx::Error> {
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into api_tokens (name, token_hash, scopes, created_by, expires_at)
         values ($1, $2, $3, $4, $5) returning id",
        name,
        token_hash(&secret),
        scopes,
        by,
        expires_at
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(by),
        "api_token.create",
        "api_token",
        Some(id.to_string()),
        json!({ "name": name, "scopes": scopes, "expires_at": expires_at.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok((id, secret))
}

/// Revoke a token. Returns false when there is no such token or it was already revoked.
pub async fn revoke(db: &PgPool, id: Uuid, by: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let name = sqlx::query_scalar!(
        "update api_tokens set revoked_at = now(), revoked_by = $2
         where id = $1 and revoked_at is null returning name",
        id,
        by
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(name) = name else { return Ok(false) };
    audit::record(
        &mut *tx,
        Actor::Person(by),
        "api_token.revoke",
        "api_token",
        Some(id.to_string()),
        json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The identity of a valid secret: not revoked, not expired, and its creator still an HR
/// admin in employment. `None` otherwise.
pub async fn authenticate(db: &PgPool, secret: &str) -> Result<Option<TokenIdentity>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        select t.id, t.name, t.scopes, t.created_by, p.email
        from api_tokens t
        join people p on p.id = t.created_by
        where t.token_hash = $1 and t.revoked_at is null and t.expires_at > now()
          and p.is_hr_admin and p.employment_status <> 'terminated'
        "#,
        token_hash(secret)
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| TokenIdentity {
        id: r.id,
        name: r.name,
        scopes: r.scopes,
        created_by: r.created_by,
        created_by_email: r.email,
    }))
}

/// One audit row per request made with a token (allowed or refused), and its last use.
pub async fn record_use(
    db: &PgPool,
    token: &TokenIdentity,
    method: &str,
    path: &str,
    allowed: bool,
    request_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "update api_tokens set last_used_at = now() where id = $1",
        token.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details, request_id)
         values (null, 'api_token', 'api_token.use', 'api_token', $1, $2, $3)",
        token.id.to_string(),
        json!({ "token_id": token.id, "token_name": token.name, "method": method,
                "path": path, "allowed": allowed }),
        request_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Append an audit row for a change made through a token (SCIM and API writes).
pub async fn audit_change<'e, E>(
    executor: E,
    token: &TokenIdentity,
    action: &str,
    entity_type: &str,
    entity_id: Option<String>,
    mut details: serde_json::Value,
) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    if let Some(map) = details.as_object_mut() {
        map.insert("token_id".into(), json!(token.id));
    }
    sqlx::query!(
        "insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details)
         values (null, 'api_token', $1, $2, $3, $4)",
        action,
        entity_type,
        entity_id,
        details
    )
    .execute(executor)
    .await?;
    Ok(())
}
