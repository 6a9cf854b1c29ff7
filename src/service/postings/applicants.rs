//! A posting's applicants ranked by fit, one application in full as its owner reviews it,
//! and talent that has not applied: found by the engine, filtered by the policy, invited.

use serde::Serialize;
use serde_json::json;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::application::{Actor as Who, ApplicationStatus};
use crate::domain::eligibility::{self, Facts};
use crate::engine::views::FitView;
use crate::error::{AppError, Result};

/// One applicant in the ranked list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Applicant {
    pub application_id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub status: String,
    pub status_label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub motivation: String,
    /// The engine's fit with every reason (none once the opening left the index).
    pub fit: Option<FitView>,
    /// The fit score when the application was submitted.
    pub fit_at_submission: Option<i16>,
    /// One line for the list: the live fit's headline ("Meets 8 of 10 skills; gaps: ..."),
    /// or the fit kept at submission once the opening has closed.
    pub summary: String,
    /// Still in the pipeline (submitted, in review, interviewing or offered).
    pub active: bool,
}

/// A screening question and its answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ApplicantAnswer)]
pub struct Answer {
    pub prompt: String,
    pub answer: String,
}

/// One stage change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: Option<String>,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
}

/// An application in full, as its owner reviews it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ApplicantDetail)]
pub struct ApplicationDetail {
    pub applicant: Applicant,
    pub answers: Vec<Answer>,
    pub events: Vec<Event>,
    /// The stages the owner may move it to now (never "accepted" once every position is
    /// filled).
    pub next: Vec<ApplicationStatus>,
    /// Why an offer cannot be recorded as accepted, when every position is filled.
    pub filled_note: Option<String>,
}

/// The posting's applicants, best fit first, optionally only those at `stage`.
pub async fn ranked(
    state: &AppState,
    opportunity: Uuid,
    stage: Option<ApplicationStatus>,
) -> Result<Vec<Applicant>> {
    let rows = sqlx::query!(
        r#"select a.id, a.applicant_id, p.display_name, jp.title as "title?", a.status,
                  a.submitted_at, a.motivation, a.fit_score
           from applications a join people p on p.id = a.applicant_id
           left join job_profiles jp on jp.id = p.job_profile_id
           where a.opportunity_id = $1 and ($2::text is null or a.status = $2)"#,
        opportunity,
        stage.map(|s| s.as_str())
    )
    .fetch_all(&state.db)
    .await?;
    let today = crate::engine::today();
    let mut list: Vec<Applicant> = rows
        .into_iter()
        .map(|r| {
            let status = ApplicationStatus::try_from(r.status.as_str())
                .unwrap_or(ApplicationStatus::Submitted);
            let fit = state
                .engine
                .applicant_fit(r.applicant_id, opportunity, today);
            let summary = match (&fit, r.fit_score) {
                (Some(f), _) => f.headline.clone(),
                (None, Some(s)) => format!("{s}% fit when submitted"),
                (None, None) => String::new(),
            };
            Applicant {
                active: !status.is_final(),
                summary,
                application_id: r.id,
                person_id: r.applicant_id,
                display_name: r.display_name,
                job_title: r.title,
                status_label: status.label().into(),
                status: r.status,
                submitted_at: r.submitted_at,
                motivation: r.motivation,
                fit,
                fit_at_submission: r.fit_score,
            }
        })
        .collect();
    let score = |a: &Applicant| {
        a.fit
            .as_ref()
            .map(|f| i16::from(f.score))
            .or(a.fit_at_submission)
            .unwrap_or(-1)
    };
    // Still in the pipeline first, then the accepted, then the closed ones; best fit first
    // within each.
    let group = |a: &Applicant| match (a.active, a.status.as_str()) {
        (true, _) => 0,
        (false, "accepted") => 1,
        _ => 2,
    };
    list.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then(score(b).cmp(&score(a)))
            .then(a.submitted_at.cmp(&b.submitted_at))
    });
    Ok(list)
}

/// One application of the posting, with answers and history.
pub async fn detail(
    state: &AppState,
    opportunity: Uuid,
    application: Uuid,
) -> Result<ApplicationDetail> {
    let applicant = ranked(state, opportunity, None)
        .await?
        .into_iter()
        .find(|a| a.application_id == application)
        .ok_or(AppError::NotFound)?;
    let answers = sqlx::query_as!(
        Answer,
        "select q.prompt, coalesce(aa.answer, '') as \"answer!\" from opportunity_questions q
         left join application_answers aa on aa.question_id = q.id and aa.application_id = $2
         where q.opportunity_id = $1 order by q.position",
        opportunity,
        application
    )
    .fetch_all(&state.db)
    .await?;
    let events = sqlx::query_as!(
        Event,
        r#"select e.from_status, e.to_status, p.display_name as "actor?", e.reason, e.occurred_at
           from application_events e left join people p on p.id = e.actor_id
           where e.application_id = $1 order by e.id"#,
        application
    )
    .fetch_all(&state.db)
    .await?;
    let status = ApplicationStatus::try_from(applicant.status.as_str())
        .map_err(|e| AppError::Other(anyhow::anyhow!(e)))?;
    let o = sqlx::query!(
        "select positions, positions_filled from opportunities where id = $1",
        opportunity
    )
    .fetch_one(&state.db)
    .await?;
    let mut next = status.next(Who::Owner).to_vec();
    let mut filled_note = None;
    if o.positions_filled >= o.positions && next.contains(&ApplicationStatus::Accepted) {
        next.retain(|s| *s != ApplicationStatus::Accepted);
        filled_note = Some(format!(
            "All {} position{} of this opening {} filled, so this offer cannot be recorded as \
             accepted. To take this person too, add a position to the posting first; otherwise \
             close the application with a reason.",
            o.positions,
            if o.positions == 1 { "" } else { "s" },
            if o.positions == 1 { "is" } else { "are" },
        ));
    }
    Ok(ApplicationDetail {
        applicant,
        answers,
        events,
        next,
        filled_note,
    })
}

/// A person talent search found for a posting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Talent {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub invited: bool,
    pub fit: FitView,
}

/// The best-fitting people who have not applied, eligible under the policy, open to this kind
/// of move and discoverable.
pub async fn talent(state: &AppState, opportunity: Uuid, limit: usize) -> Result<Vec<Talent>> {
    talent_where(state, opportunity, limit, None).await
}

/// [`talent`], only among the members of a talent pool when `pool` is given.
pub async fn talent_where(
    state: &AppState,
    opportunity: Uuid,
    limit: usize,
    pool: Option<std::collections::HashSet<Uuid>>,
) -> Result<Vec<Talent>> {
    let o = sqlx::query!(
        "select kind, status, closes_on, owner_id from opportunities where id = $1",
        opportunity
    )
    .fetch_one(&state.db)
    .await?;
    if o.status != "open" {
        return Err(AppError::Conflict(format!(
            "Talent search needs an open posting; this one is {}.",
            o.status
        )));
    }
    let engine = state.engine.clone();
    let found = tokio::task::spawn_blocking(move || match pool {
        None => engine.talent(opportunity, limit * 3, crate::engine::today()),
        Some(members) => crate::service::talent_pools::talent_in(
            &engine,
            opportunity,
            limit * 3,
            &members,
            crate::engine::today(),
        ),
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?
    .unwrap_or_default();
    let ids: Vec<Uuid> = found.iter().map(|c| c.person).collect();
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, jp.title as "title?", d.name as "department?", p.role_started_on,
                  exists(select 1 from invitations i where i.person_id = p.id and i.opportunity_id = $2) as "invited!",
                  (select count(*) from applications a where a.applicant_id = p.id
                     and a.status in ('submitted','in_review','interviewing','offered')) as "active!",
                  case $3 when 'role' then coalesce(asp.open_to_roles, true)
                          when 'secondment' then coalesce(asp.open_to_secondments, false)
                          when 'project' then coalesce(asp.open_to_projects, true)
                          else coalesce(asp.open_to_mentoring, true) end as "open!"
           from people p
           left join aspirations asp on asp.person_id = p.id
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where p.id = any($1) and p.discoverable and p.employment_status <> 'terminated'
             and not exists (select 1 from applications a where a.applicant_id = p.id and a.opportunity_id = $2)"#,
        &ids, opportunity, o.kind
    )
    .fetch_all(&state.db)
    .await?;
    let policy = crate::db::policy::current(&state.db).await?;
    let today = crate::domain::today();
    let mut out = Vec::new();
    for c in found {
        let Some(r) = rows.iter().find(|r| r.id == c.person) else {
            continue;
        };
        let facts = Facts {
            kind: &o.kind,
            opening_is_open: true,
            closes_on: o.closes_on,
            is_owner: r.id == o.owner_id,
            already_applied: false,
            role_started_on: r.role_started_on,
            active_applications: r.active as u16,
        };
        if !r.open || !eligibility::check(&policy, &facts, today).is_empty() {
            continue;
        }
        out.push(Talent {
            person_id: r.id,
            display_name: r.display_name.clone(),
            job_title: r.title.clone(),
            department: r.department.clone(),
            invited: r.invited,
            fit: c.fit,
        });
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}

/// Invite a person found by talent search; once per person and opening.
pub async fn invite(
    state: &AppState,
    opportunity: Uuid,
    person: Uuid,
    by: Uuid,
    message: &str,
) -> Result<Uuid> {
    let allowed = talent(state, opportunity, 200)
        .await?
        .iter()
        .any(|t| t.person_id == person);
    let already = sqlx::query_scalar!(
        r#"select exists(select 1 from invitations where opportunity_id = $1 and person_id = $2) as "x!""#,
        opportunity, person)
        .fetch_one(&state.db)
        .await?;
    if already {
        return Err(AppError::Conflict(
            "This person has already been invited to this opening.".into(),
        ));
    }
    if !allowed {
        return Err(AppError::Conflict("This person cannot be invited: they are not among the eligible, discoverable people for this opening.".into()));
    }
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into invitations (opportunity_id, person_id, invited_by_id, message) values ($1, $2, $3, $4)
         on conflict (opportunity_id, person_id) do nothing returning id",
        opportunity, person, by, message.trim()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("This person has already been invited to this opening.".into()))?;
    let title = sqlx::query_scalar!("select title from opportunities where id = $1", opportunity)
        .fetch_one(&mut *tx)
        .await?;
    let link = format!("/opportunities/{opportunity}");
    let heading = format!("You are invited to apply: {title}");
    notify(
        &mut *tx,
        &NewNotification {
            person_id: person,
            kind: "invitation",
            title: &heading,
            body: message.trim(),
            link: Some(&link),
            opportunity_id: Some(opportunity),
            application_id: None,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(by),
        "invitation.create",
        "invitation",
        Some(id.to_string()),
        json!({ "after": { "opportunity_id": opportunity, "person_id": person } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
