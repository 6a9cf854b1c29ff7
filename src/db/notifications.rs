//! In-app notifications: the one place that creates them, so every channel (the bell, email,
//! chat) can hang off it.

use uuid::Uuid;

/// A notification to create.
#[derive(Debug, Clone, Default)]
pub struct NewNotification<'a> {
    pub person_id: Uuid,
    /// What happened, machine-readable: `application_stage`, `job_alert`, `invitation`,
    /// `manager_informed`, `approval_request`, `mentorship_request`, `conversation_due`, ...
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// A local path to open (`/applications/{id}`, `/opportunities/{id}`, ...).
    pub link: Option<&'a str>,
    pub opportunity_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
}

/// Create one notification. Returns its id, or `None` when it already existed (a job alert is
/// unique per person and opening, so one opening never alerts a person twice).
pub async fn notify<'e, E>(
    executor: E,
    n: &NewNotification<'_>,
) -> Result<Option<Uuid>, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    sqlx::query_scalar!(
        "insert into notifications (person_id, kind, title, body, link, opportunity_id, application_id)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict do nothing
         returning id",
        n.person_id,
        n.kind,
        n.title,
        n.body,
        n.link,
        n.opportunity_id,
        n.application_id
    )
    .fetch_optional(executor)
    .await
}
