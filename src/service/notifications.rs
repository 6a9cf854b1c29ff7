//! The bell: a person's in-app notifications, newest first with the unread count, and
//! marking them read. Who is notified of what is decided by the service that acts.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::service::marketplace::browse::rfc3339;

/// How many notifications a list shows.
const SHOWN: i64 = 100;

/// One notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    /// job_alert, application_stage, approval_request, ...
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read: bool,
    pub created_at: String,
}

/// The person's newest notifications and the unread count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notifications {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}

/// Load the person's notifications, newest first.
pub async fn load(state: &AppState, person: Uuid) -> Result<Notifications> {
    let items = sqlx::query!(
        "select id, kind, title, body, link, read_at is not null as \"read!\", created_at
         from notifications where person_id = $1 order by created_at desc, id limit $2",
        person,
        SHOWN
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| NotificationView {
        id: r.id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        link: r.link,
        read: r.read,
        created_at: rfc3339(r.created_at),
    })
    .collect();
    let unread = sqlx::query_scalar!(
        "select count(*) as \"n!\" from notifications where person_id = $1 and read_at is null",
        person
    )
    .fetch_one(&state.db)
    .await?;
    Ok(Notifications { unread, items })
}

/// Mark one of the person's notifications read (NotFound for anyone else's).
pub async fn mark_read(state: &AppState, person: Uuid, id: Uuid) -> Result<()> {
    let done = sqlx::query!(
        "update notifications set read_at = coalesce(read_at, now()) where id = $1 and person_id = $2",
        id,
        person
    )
    .execute(&state.db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Mark all the person's notifications read; returns how many changed.
pub async fn mark_all_read(state: &AppState, person: Uuid) -> Result<u64> {
    Ok(sqlx::query!(
        "update notifications set read_at = now() where person_id = $1 and read_at is null",
        person
    )
    .execute(&state.db)
    .await?
    .rows_affected())
}
