//! Applying under the mobility policy: the rules shown before, the same rules checked on the
//! server inside the transaction that writes the application (the person's row is locked, so
//! two simultaneous submissions cannot both pass the active-application limit).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor as AuditActor};
use crate::db::constraints::on_constraint;
use crate::db::notifications::{notify, NewNotification};
use crate::domain::application::ApplicationStatus;
use crate::domain::eligibility::{check, Facts, Refusal};
use crate::domain::policy::MobilityPolicy;
use crate::engine::today;
use crate::error::{AppError, FieldError, Result};

/// Longest motivation, in characters.
pub const MOTIVATION_MAX: usize = 2000;
/// Longest answer to one question, in characters.
pub const ANSWER_MAX: usize = 2000;

/// A question the posting asks applicants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub id: Uuid,
    pub prompt: String,
    pub required: bool,
}

/// What an applicant sends.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ApplyInput {
    /// Why this opening, in a few sentences (required, at most 2,000 characters).
    pub motivation: String,
    /// Answers by question id.
    #[serde(default)]
    pub answers: HashMap<Uuid, String>,
}

/// The posting's questions, in order.
pub async fn questions(db: &PgPool, opening: Uuid) -> Result<Vec<Question>> {
    Ok(sqlx::query_as!(
        Question,
        "select id, prompt, required from opportunity_questions where opportunity_id = $1 order by position",
        opening
    )
    .fetch_all(db)
    .await?)
}

/// The policy in force and every rule the person fails for this opening today.
pub async fn eligibility(
    conn: &mut sqlx::PgConnection,
    person: Uuid,
    opening: Uuid,
) -> Result<(MobilityPolicy, Vec<Refusal>)> {
    let policy = crate::db::policy::current(&mut *conn).await?;
    let f = sqlx::query!(
        r#"select o.kind, o.status, o.closes_on, o.owner_id = $2 as "is_owner!",
                  p.role_started_on,
                  exists(select 1 from applications a where a.opportunity_id = o.id and a.applicant_id = $2
                     and a.status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')) as "applied!",
                  (select count(*) from applications a where a.applicant_id = $2
                     and a.status in ('submitted', 'in_review', 'interviewing', 'offered')) as "active!"
           from opportunities o, people p
           where o.id = $1 and p.id = $2"#,
        opening,
        person
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let facts = Facts {
        kind: &f.kind,
        opening_is_open: f.status == "open",
        closes_on: f.closes_on,
        is_owner: f.is_owner,
        already_applied: f.applied,
        role_started_on: f.role_started_on,
        active_applications: u16::try_from(f.active).unwrap_or(u16::MAX),
    };
    let refusals = check(&policy, &facts, crate::domain::today());
    Ok((policy, refusals))
}

/// Check the motivation and answers; every problem names its field.
pub fn validate(input: &ApplyInput, questions: &[Question]) -> Result<()> {
    let mut errors = Vec::new();
    let motivation = input.motivation.trim();
    if motivation.is_empty() {
        errors.push(FieldError::new(
            "motivation",
            "Tell the hiring manager briefly why you are interested.",
        ));
    } else if motivation.chars().count() > MOTIVATION_MAX {
        errors.push(FieldError::new(
            "motivation",
            format!("must be at most {MOTIVATION_MAX} characters"),
        ));
    }
    for q in questions {
        let answer = input.answers.get(&q.id).map(|a| a.trim()).unwrap_or("");
        if q.required && answer.is_empty() {
            errors.push(FieldError::new(
                format!("answers/{}", q.id),
                "This question needs an answer.",
            ));
        } else if answer.chars().count() > ANSWER_MAX {
            errors.push(FieldError::new(
                format!("answers/{}", q.id),
                format!("must be at most {ANSWER_MAX} characters"),
            ));
        }
    }
    if let Some(unknown) = input
        .answers
        .keys()
        .find(|k| !questions.iter().any(|q| q.id == **k))
    {
        errors.push(FieldError::new(
            format!("answers/{unknown}"),
            "is not a question of this opening",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Submit an application; returns its id. Refusals by the policy are 409s naming the rule.
pub async fn submit(
    state: &AppState,
    person: Uuid,
    opening: Uuid,
    input: &ApplyInput,
) -> Result<Uuid> {
    let qs = questions(&state.db, opening).await?;
    let mut tx = state.db.begin().await?;
    // Serialise this person's submissions: the limit check below sees every earlier one.
    let me = sqlx::query!(
        "select manager_id, display_name from people where id = $1 for update",
        person
    )
    .fetch_one(&mut *tx)
    .await?;
    let (policy, refusals) = eligibility(&mut tx, person, opening).await?;
    if let Some(r) = refusals.first() {
        return Err(AppError::Conflict(r.message.clone()));
    }
    validate(input, &qs)?;
    let o = sqlx::query!(
        "select kind, title from opportunities where id = $1",
        opening
    )
    .fetch_one(&mut *tx)
    .await?;
    let needs_approval =
        o.kind == "project" && policy.project_needs_manager_approval && me.manager_id.is_some();
    let informed_now =
        policy.manager_informed_at == ApplicationStatus::Submitted && me.manager_id.is_some();
    let fit = state
        .engine
        .applicant_fit(person, opening, today())
        .map(|f| i16::from(f.score));
    let id = sqlx::query_scalar!(
        "insert into applications (opportunity_id, applicant_id, motivation, fit_score, manager_approval, manager_informed_at)
         values ($1, $2, $3, $4, $5, case when $6 then now() end) returning id",
        opening,
        person,
        input.motivation.trim(),
        fit,
        if needs_approval { "pending" } else { "not_needed" },
        informed_now
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        on_constraint(e, "applications_one_active_per_opportunity", || {
            AppError::Conflict("You have already applied to this opening.".into())
        })
    })?;
    record_submission(&mut tx, id, person, &qs, input).await?;
    if let Some(manager) = me.manager_id.filter(|_| needs_approval || informed_now) {
        let ask = needs_approval.then_some(o.title.as_str());
        tell_manager(
            &mut tx,
            manager,
            &me.display_name,
            (opening, &o.title),
            id,
            ask,
        )
        .await?;
    }
    audit::record(&mut *tx, AuditActor::Person(person), "application.submitted", "application", Some(id.to_string()),
        serde_json::json!({"opportunity_id": opening, "status": "submitted", "fit_score": fit,
                           "manager_approval": if needs_approval { "pending" } else { "not_needed" },
                           "policy_version": policy.version}))
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The answers and the first event of a new application (from nothing to submitted).
async fn record_submission(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    person: Uuid,
    qs: &[Question],
    input: &ApplyInput,
) -> Result<()> {
    for q in qs {
        let answer = input.answers.get(&q.id).map(|a| a.trim());
        if let Some(a) = answer.filter(|a| !a.is_empty()) {
            sqlx::query!(
                "insert into application_answers (application_id, question_id, answer) values ($1, $2, $3)",
                id,
                q.id,
                a
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query!(
        "insert into application_events (application_id, from_status, to_status, actor_id) values ($1, null, 'submitted', $2)",
        id,
        person
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Tell the applicant's current manager: a request to approve a project's hours
/// (`approval_for` = the project's title), or, when the policy says so, that they applied.
async fn tell_manager(
    tx: &mut sqlx::PgConnection,
    manager: Uuid,
    applicant: &str,
    (opening, title): (Uuid, &str),
    application: Uuid,
    approval_for: Option<&str>,
) -> Result<()> {
    let (kind, headline, body) = match approval_for {
        Some(project) => (
            "approval_request",
            format!("{applicant} asks to join a project"),
            format!("{applicant} applied to the project \"{project}\" and needs your approval of its hours."),
        ),
        None => (
            "manager_informed",
            format!("{applicant} applied to an opening"),
            format!("{applicant} applied to \"{title}\"."),
        ),
    };
    notify(
        &mut *tx,
        &NewNotification {
            person_id: manager,
            kind,
            title: &headline,
            body: &body,
            link: Some("/team"),
            opportunity_id: Some(opening),
            application_id: Some(application),
        },
    )
    .await?;
    Ok(())
}
