//! In-app notifications: the one place that creates them, so every channel (the bell, email,
//! chat) can hang off it. Creating a notification also queues its deliveries in the outbox,
//! in the same statement (so in the caller's transaction), following the person's
//! `notification_preferences`: email on by default (immediately, or collected into a daily
//! digest), chat when the person turned it on. `crate::outbox` delivers them. Account emails
//! (a password reset link) go straight to the outbox through [`queue_email`].

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
        r#"
        with n as (
            insert into notifications (person_id, kind, title, body, link, opportunity_id, application_id)
            values ($1, $2, $3, $4, $5, $6, $7)
            on conflict do nothing
            returning id, person_id, title, body, link
        ), wanted as (
            select n.*, coalesce(np.email_enabled, true) as email_enabled,
                   coalesce(np.email_mode, 'immediate') as email_mode,
                   coalesce(np.chat_enabled, false) as chat_enabled
            from n
            join people p on p.id = n.person_id and p.employment_status <> 'terminated'
            left join notification_preferences np on np.person_id = n.person_id
        ), queued as (
            insert into outbox (idempotency_key, channel, person_id, notification_id, subject,
                                body_text, link, digest_date)
            select 'email:' || id, 'email', person_id, id, title, body, link,
                   case when email_mode = 'daily_digest' then current_date end
            from wanted where email_enabled
            union all
            select 'chat:' || id, 'chat', person_id, id, title, body, link, null
            from wanted where chat_enabled
            returning 1
        )
        select id as "id!" from n
        "#,
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

/// An email to one person that is not an in-app notification: a message about their account
/// (a password reset link) that must reach them whatever their notification preferences say.
#[derive(Debug, Clone)]
pub struct AccountEmail<'a> {
    pub person_id: Uuid,
    /// Unique per email (the outbox sends it as `Message-ID` and never queues a key twice).
    pub idempotency_key: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// A local path; the email shows it as `<public_url><link>`.
    pub link: Option<&'a str>,
}

/// Queue one email to one person, sent at once (never collected into a digest), with a
/// plain-text and an HTML body like every other email. No in-app notification is created.
/// Its link is taken for a credential (`outbox.secret`): the outbox clears it once sent.
pub async fn queue_email<'e, E>(executor: E, email: &AccountEmail<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    sqlx::query!(
        "insert into outbox (idempotency_key, channel, person_id, subject, body_text, link, secret)
         values ($1, 'email', $2, $3, $4, $5, true)",
        email.idempotency_key,
        email.person_id,
        email.subject,
        email.body,
        email.link
    )
    .execute(executor)
    .await?;
    Ok(())
}
