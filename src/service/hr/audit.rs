//! The audit trail as HR reads it: filtered, newest first, paginated by id (keyset).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::app::state::AppState;
use crate::error::{AppError, Result};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// Filters of the audit trail, as typed (empty means not set).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// An actor's email.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// From this day (YYYY-MM-DD), included.
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD), included.
    pub to: Option<String>,
    /// Show entries with an id below this one (the next page).
    pub before: Option<i64>,
}

/// One audit entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor: Option<String>,
    pub actor_kind: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub details: serde_json::Value,
}

/// A page of entries and the cursor of the next page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next page; None on the last page.
    pub next_before: Option<i64>,
}

pub fn given(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Load one page of the trail.
pub async fn load(state: &AppState, q: &AuditQuery) -> Result<AuditPage> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date = |field: &str, v: &Option<String>| -> Result<Option<time::Date>> {
        given(v)
            .map(|s| {
                time::Date::parse(&s, fmt)
                    .map_err(|_| AppError::field(field, "Give a date as YYYY-MM-DD."))
            })
            .transpose()
    };
    let (from, to) = (date("from", &q.from)?, date("to", &q.to)?);
    let mut entries = sqlx::query!(
        r#"select a.id, a.occurred_at, p.email as "actor?", a.actor_kind, a.action, a.entity_type,
                  a.entity_id, a.details
           from audit_log a left join people p on p.id = a.actor_id
           where ($1::bigint is null or a.id < $1)
             and ($2::text is null or lower(p.email) = lower($2))
             and ($3::text is null or a.action = $3)
             and ($4::text is null or a.entity_type = $4)
             and ($5::text is null or a.entity_id = $5)
             and ($6::date is null or a.occurred_at >= $6::date)
             and ($7::date is null or a.occurred_at < $7::date + 1)
           order by a.id desc
           limit $8"#,
        q.before,
        given(&q.actor),
        given(&q.action),
        given(&q.entity_type),
        given(&q.entity_id),
        from,
        to,
        PAGE_SIZE + 1
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| AuditEntry {
        id: r.id,
        occurred_at: r.occurred_at,
        actor: r.actor,
        actor_kind: r.actor_kind,
        action: r.action,
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        details: r.details,
    })
    .collect::<Vec<_>>();
    let more = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let next_before = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage {
        entries,
        next_before,
    })
}
