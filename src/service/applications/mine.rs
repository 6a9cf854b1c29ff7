//! "My applications": the signed-in person's applications, each with its full timeline and
//! answers. A person only ever sees their own (NotFound for anyone else's).

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::application::{Actor, ApplicationStatus};
use crate::error::{AppError, Result};
use crate::service::marketplace::browse::rfc3339;

/// One application in the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationSummary {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub title: String,
    pub kind: String,
    pub department: String,
    /// submitted, in_review, interviewing, offered, accepted, declined, rejected, withdrawn.
    pub status: ApplicationStatus,
    pub status_label: String,
    pub submitted_at: String,
    pub updated_at: String,
    pub active: bool,
}

/// One step of an application's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub from_status: Option<String>,
    pub to_status: String,
    pub label: String,
    pub actor: Option<String>,
    pub reason: String,
    pub occurred_at: String,
}

/// An answer to one of the posting's questions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answer {
    pub prompt: String,
    pub answer: String,
}

/// An application in full (the JSON twin returns exactly this).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    pub motivation: String,
    pub fit_score: Option<i16>,
    /// not_needed, pending, approved or declined (projects).
    pub manager_approval: String,
    pub timeline: Vec<TimelineEvent>,
    pub answers: Vec<Answer>,
    pub can_withdraw: bool,
    /// An offer waits for the applicant's answer.
    pub can_answer_offer: bool,
}

fn label(status: &str) -> (ApplicationStatus, String) {
    let s = ApplicationStatus::try_from(status).unwrap_or(ApplicationStatus::Submitted);
    (s, s.label().to_string())
}

/// The person's applications, newest first.
pub async fn list(state: &AppState, person: Uuid) -> Result<Vec<ApplicationSummary>> {
    summaries(state, person, None).await
}

/// The person's applications (or the one with id `only`), newest first.
async fn summaries(
    state: &AppState,
    person: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<ApplicationSummary>> {
    let rows = sqlx::query!(
        "select a.id, a.opportunity_id, o.title, o.kind, d.name as department, a.status,
                a.submitted_at, a.updated_at
         from applications a join opportunities o on o.id = a.opportunity_id
         join departments d on d.id = o.department_id
         where a.applicant_id = $1 and ($2::uuid is null or a.id = $2)
         order by a.submitted_at desc",
        person,
        only
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (status, status_label) = label(&r.status);
            ApplicationSummary {
                id: r.id,
                opportunity_id: r.opportunity_id,
                title: r.title,
                kind: r.kind,
                department: r.department,
                status,
                status_label,
                submitted_at: rfc3339(r.submitted_at),
                updated_at: rfc3339(r.updated_at),
                active: status.is_active(),
            }
        })
        .collect())
}

/// One of the person's applications; NotFound when it is someone else's.
pub async fn load(state: &AppState, person: Uuid, id: Uuid) -> Result<ApplicationDetail> {
    let summary = summaries(state, person, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let r = sqlx::query!(
        "select motivation, fit_score, manager_approval from applications where id = $1",
        id
    )
    .fetch_one(&state.db)
    .await?;
    let timeline = sqlx::query!(
        r#"select e.from_status, e.to_status, p.display_name as "actor?", e.reason, e.occurred_at
           from application_events e left join people p on p.id = e.actor_id
           where e.application_id = $1 order by e.occurred_at, e.id"#,
        id
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|e| TimelineEvent {
        label: label(&e.to_status).1,
        from_status: e.from_status,
        to_status: e.to_status,
        actor: e.actor,
        reason: e.reason,
        occurred_at: rfc3339(e.occurred_at),
    })
    .collect();
    let answers = sqlx::query_as!(
        Answer,
        "select q.prompt, aa.answer from application_answers aa
         join opportunity_questions q on q.id = aa.question_id
         where aa.application_id = $1 order by q.position",
        id
    )
    .fetch_all(&state.db)
    .await?;
    let status = summary.status;
    Ok(ApplicationDetail {
        summary,
        motivation: r.motivation,
        fit_score: r.fit_score,
        manager_approval: r.manager_approval,
        timeline,
        answers,
        can_withdraw: status
            .transition(ApplicationStatus::Withdrawn, Actor::Applicant)
            .is_ok(),
        can_answer_offer: status == ApplicationStatus::Offered,
    })
}
