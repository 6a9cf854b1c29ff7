//! The application pipeline on the owner's side and the applicant's answer to an offer: every
//! stage change in one transaction with its event, audit row and notifications; telling the
//! current manager at the policy's stage; filling positions and recording moves.

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use time::Date;
use uuid::Uuid;

use crate::db::audit::{self, Actor as AuditActor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::application::{Actor, ApplicationStatus};
use crate::domain::moves::{self, Level};
use crate::error::{AppError, Result};

/// Who asks for a stage change.
#[derive(Debug, Clone, Copy)]
pub struct Requester {
    pub id: Uuid,
    pub is_hr: bool,
}

/// A requested stage change.
#[derive(Debug, Clone)]
pub struct Change {
    pub to: ApplicationStatus,
    pub reason: String,
    /// For acceptance: the proposed start (release) date.
    pub start_on: Option<Date>,
}

/// What changed, for the caller to refresh the engine.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub opportunity_id: Uuid,
    pub move_id: Option<Uuid>,
}

struct Locked {
    id: Uuid,
    opportunity_id: Uuid,
    applicant_id: Uuid,
    status: ApplicationStatus,
    owner_id: Uuid,
    title: String,
    manager_informed: bool,
}

async fn lock(tx: &mut Transaction<'_, Postgres>, id: Uuid) -> Result<Locked> {
    let r = sqlx::query!(
        r#"select a.id, a.opportunity_id, a.applicant_id, a.status, o.owner_id, o.title,
                  a.manager_informed_at is not null as "informed!"
           from applications a join opportunities o on o.id = a.opportunity_id
           where a.id = $1 for update of a"#,
        id
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Locked {
        id: r.id,
        opportunity_id: r.opportunity_id,
        applicant_id: r.applicant_id,
        status: ApplicationStatus::try_from(r.status.as_str())
            .map_err(|e| AppError::Other(anyhow::anyhow!(e)))?,
        owner_id: r.owner_id,
        title: r.title,
        manager_informed: r.informed,
    })
}

/// The owner (or HR) moves an application along the pipeline.
pub async fn owner_transition(
    db: &PgPool,
    application: Uuid,
    by: Requester,
    change: Change,
    today: Date,
) -> Result<Outcome> {
    let mut tx = db.begin().await?;
    let app = lock(&mut tx, application).await?;
    if app.owner_id != by.id && !by.is_hr {
        return Err(AppError::Forbidden(
            "Only the posting's owner and HR can move its applications.".into(),
        ));
    }
    let outcome = apply(&mut tx, &app, by.id, Actor::Owner, &change, today).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The applicant answers an offer (accept or decline). 404 for anyone else.
pub async fn applicant_answer(
    db: &PgPool,
    application: Uuid,
    by: Uuid,
    change: Change,
    today: Date,
) -> Result<Outcome> {
    let mut tx = db.begin().await?;
    let app = lock(&mut tx, application).await?;
    if app.applicant_id != by {
        return Err(AppError::NotFound);
    }
    let outcome = apply(&mut tx, &app, by, Actor::Applicant, &change, today).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    app: &Locked,
    by: Uuid,
    actor: Actor,
    change: &Change,
    today: Date,
) -> Result<Outcome> {
    let to = change.to;
    app.status
        .transition(to, actor)
        .map_err(|m| AppError::Conflict(capitalise(&m)))?;
    let reason = change.reason.trim();
    if to == ApplicationStatus::Rejected && reason.is_empty() {
        return Err(AppError::field("reason", "give a reason for the rejection"));
    }
    let move_id = if to == ApplicationStatus::Accepted {
        fill_position(tx, app, by, change.start_on, today).await?
    } else {
        None
    };
    sqlx::query!(
        "update applications set status = $2, updated_at = now(),
             decided_at = case when $3 then now() else decided_at end
         where id = $1",
        app.id,
        to.as_str(),
        to.is_final()
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "insert into application_events (application_id, from_status, to_status, actor_id, reason)
         values ($1, $2, $3, $4, $5)",
        app.id,
        app.status.as_str(),
        to.as_str(),
        by,
        reason
    )
    .execute(&mut **tx)
    .await?;
    audit::record(
        &mut **tx,
        AuditActor::Person(by),
        "application.transition",
        "application",
        Some(app.id.to_string()),
        json!({ "before": { "status": app.status }, "after": { "status": to }, "reason": reason }),
    )
    .await?;
    let link = format!("/applications/{}", app.id);
    let (notified, title) = match actor {
        Actor::Owner => (
            app.applicant_id,
            format!(
                "Your application for {}: {}",
                app.title,
                to.label().to_lowercase()
            ),
        ),
        Actor::Applicant => (
            app.owner_id,
            format!(
                "An applicant for {}: {}",
                app.title,
                to.label().to_lowercase()
            ),
        ),
    };
    let link_for = if actor == Actor::Owner {
        link
    } else {
        format!("/postings/{}/applicants/{}", app.opportunity_id, app.id)
    };
    notify(
        &mut **tx,
        &NewNotification {
            person_id: notified,
            kind: "application_stage",
            title: &title,
            body: reason,
            link: Some(&link_for),
            opportunity_id: Some(app.opportunity_id),
            application_id: Some(app.id),
        },
    )
    .await?;
    inform_manager_if_due(tx, app, to).await?;
    Ok(Outcome {
        opportunity_id: app.opportunity_id,
        move_id,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Tell the applicant's current manager once the application has reached the policy's stage.
async fn inform_manager_if_due(
    tx: &mut Transaction<'_, Postgres>,
    app: &Locked,
    to: ApplicationStatus,
) -> Result<()> {
    if app.manager_informed {
        return Ok(());
    }
    let policy = crate::db::policy::current(&mut **tx).await?;
    let history: Vec<ApplicationStatus> = sqlx::query_scalar!(
        "select to_status from application_events where application_id = $1 order by id",
        app.id
    )
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .filter_map(|s| ApplicationStatus::try_from(s.as_str()).ok())
    .chain(std::iter::once(to))
    .collect();
    if !ApplicationStatus::reached(&history, policy.manager_informed_at) {
        return Ok(());
    }
    sqlx::query!(
        "update applications set manager_informed_at = now() where id = $1",
        app.id
    )
    .execute(&mut **tx)
    .await?;
    let who = sqlx::query!(
        "select display_name, manager_id from people where id = $1",
        app.applicant_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if let Some(manager) = who.manager_id.filter(|m| *m != app.owner_id) {
        let title = format!(
            "{} is {} for {}",
            who.display_name,
            to.label().to_lowercase(),
            app.title
        );
        notify(&mut **tx, &NewNotification {
            person_id: manager, kind: "manager_informed", title: &title,
            body: "Your report's application reached the stage at which the mobility policy tells their manager.",
            link: Some("/team"), opportunity_id: Some(app.opportunity_id), application_id: Some(app.id),
        }).await?;
    }
    Ok(())
}

/// Lock the opening, check a position is left, count it, and record the move.
async fn fill_position(
    tx: &mut Transaction<'_, Postgres>,
    app: &Locked,
    by: Uuid,
    start_on: Option<Date>,
    today: Date,
) -> Result<Option<Uuid>> {
    let o = sqlx::query!(
        r#"select o.kind, o.positions, o.positions_filled, o.job_profile_id, o.department_id,
                  o.end_date, o.duration_weeks, o.start_date, l.rank as "to_rank?"
           from opportunities o left join job_profiles jp on jp.id = o.job_profile_id
           left join job_levels l on l.id = jp.level_id
           where o.id = $1 for update of o"#,
        app.opportunity_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if o.positions_filled >= o.positions {
        return Err(AppError::Conflict(format!(
            "All {} positions of this opening are already filled; the offer cannot be accepted.",
            o.positions
        )));
    }
    let policy = crate::db::policy::current(&mut **tx).await?;
    let release = moves::release_on(today, start_on, policy.max_release_weeks)
        .map_err(|m| AppError::field("start_on", m))?;
    sqlx::query!(
        "update opportunities set positions_filled = positions_filled + 1,
             status = case when positions_filled + 1 = positions then 'filled' else status end,
             filled_at = case when positions_filled + 1 = positions then now() else filled_at end,
             updated_at = now()
         where id = $1",
        app.opportunity_id
    )
    .execute(&mut **tx)
    .await?;
    let person = sqlx::query!(
        r#"select p.job_profile_id, p.department_id, p.manager_id, p.display_name, l.rank as "rank?"
           from people p left join job_profiles jp on jp.id = p.job_profile_id
           left join job_levels l on l.id = jp.level_id where p.id = $1"#,
        app.applicant_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let Some(kind) = moves::kind_for(
        &o.kind,
        person.rank.map(|rank| Level { rank }),
        o.to_rank.map(|rank| Level { rank }),
    ) else {
        return Ok(None);
    };
    let permanent = o.kind == "role";
    let effective = if o.kind == "secondment" {
        o.start_date.unwrap_or(release).max(release)
    } else {
        release
    };
    let planned_end = match o.kind.as_str() {
        "secondment" => o.end_date,
        "project" => o.end_date.or(o
            .duration_weeks
            .map(|w| effective + time::Duration::weeks(w.into()))),
        _ => None,
    };
    let to_profile = if matches!(o.kind.as_str(), "role" | "secondment") {
        o.job_profile_id.or(person.job_profile_id)
    } else {
        person.job_profile_id
    };
    let to_department = if o.kind == "project" {
        person.department_id
    } else {
        Some(o.department_id)
    };
    let move_id = sqlx::query_scalar!(
        "insert into moves (person_id, kind, source, from_profile_id, to_profile_id, from_department_id,
             to_department_id, effective_on, planned_end_on, release_on, opportunity_id, application_id, recorded_by_id)
         values ($1, $2, 'marketplace', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        app.applicant_id, kind, person.job_profile_id, to_profile, person.department_id, to_department,
        effective, planned_end, release, app.opportunity_id, app.id, by
    )
    .fetch_one(&mut **tx)
    .await?;
    if permanent && effective <= today {
        sqlx::query!(
            "update people set job_profile_id = $2, department_id = $3, role_started_on = $4,
                 manager_id = case when $5 <> id then $5 else manager_id end, updated_at = now()
             where id = $1",
            app.applicant_id,
            to_profile,
            to_department,
            effective,
            app.owner_id
        )
        .execute(&mut **tx)
        .await?;
    }
    audit::record(&mut **tx, AuditActor::Person(by), "move.record", "move", Some(move_id.to_string()),
        json!({ "after": { "kind": kind, "person_id": app.applicant_id, "effective_on": effective, "release_on": release } })).await?;
    if let Some(manager) = person.manager_id.filter(|m| *m != app.owner_id) {
        let title = format!(
            "{} accepted {}: release by {}",
            person.display_name, app.title, release
        );
        notify(
            &mut **tx,
            &NewNotification {
                person_id: manager,
                kind: "move_agreed",
                title: &title,
                body: "An offer was accepted. Please plan the handover by the release date.",
                link: Some("/team"),
                opportunity_id: Some(app.opportunity_id),
                application_id: Some(app.id),
            },
        )
        .await?;
    }
    Ok(Some(move_id))
}
