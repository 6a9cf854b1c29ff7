//! The one way an application changes stage, whoever asks: the owner (or HR) moving it along
//! the pipeline, the applicant answering an offer or withdrawing. Each change is one
//! transaction with its event, audit row and notification to the other side; the current
//! manager is told at the policy's stage; an acceptance fills a position and records the move
//! (`fill`); the matching engine is refreshed afterwards.

use serde_json::json;
use sqlx::{Postgres, Transaction};
use time::Date;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor as AuditActor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::application::{Actor, ApplicationStatus, Requester};
use crate::domain::today;
use crate::domain::user::CurrentUser;
use crate::engine::Engine;
use crate::error::{AppError, Result};
use crate::service::applications::close_rest::close_if_filled;
use crate::service::applications::fill::{fill_position, Filling};

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

/// Lock the application (for an acceptance, its opening first: the acceptance closes the
/// opening's other applications once it is filled, so every acceptance of one opening takes
/// the locks in the same order and two at once cannot deadlock).
async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    to: ApplicationStatus,
) -> Result<Locked> {
    if to == ApplicationStatus::Accepted {
        sqlx::query!(
            "select o.id from opportunities o join applications a on a.opportunity_id = o.id
             where a.id = $1 for update of o",
            id
        )
        .fetch_optional(&mut **tx)
        .await?;
    }
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

/// The signed-in user as someone asking for a stage change.
pub fn requester(user: &CurrentUser) -> Requester {
    Requester {
        id: user.id,
        is_hr: user.is_hr,
    }
}

/// The owner (or HR) moves an application along the pipeline.
pub async fn move_on(
    state: &AppState,
    user: &CurrentUser,
    application: Uuid,
    change: Change,
) -> Result<()> {
    let by = requester(user);
    let mut tx = state.db.begin().await?;
    let app = lock(&mut tx, application, change.to).await?;
    if app.owner_id != by.id && !by.is_hr {
        return Err(AppError::Forbidden(
            "Only the posting's owner and HR can move its applications.".into(),
        ));
    }
    let outcome = apply(
        &mut tx,
        &state.engine,
        &app,
        by.id,
        Actor::Owner,
        &change,
        today(),
    )
    .await?;
    tx.commit().await?;
    refresh(state, &app, outcome).await
}

/// The applicant answers their offer (accept or decline). 404 for anyone else.
pub async fn answer_offer(
    state: &AppState,
    user: &CurrentUser,
    application: Uuid,
    change: Change,
) -> Result<()> {
    applicant_change(state, user.id, application, change).await
}

/// The applicant withdraws one of their applications. 404 for anyone else.
pub async fn withdraw(state: &AppState, person: Uuid, application: Uuid) -> Result<()> {
    let change = Change {
        to: ApplicationStatus::Withdrawn,
        reason: String::new(),
        start_on: None,
    };
    applicant_change(state, person, application, change).await
}

async fn applicant_change(
    state: &AppState,
    person: Uuid,
    application: Uuid,
    change: Change,
) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let app = lock(&mut tx, application, change.to).await?;
    if app.applicant_id != person {
        return Err(AppError::NotFound);
    }
    let outcome = apply(
        &mut tx,
        &state.engine,
        &app,
        person,
        Actor::Applicant,
        &change,
        today(),
    )
    .await?;
    tx.commit().await?;
    refresh(state, &app, outcome).await
}

/// Keep the matching engine in step: the opening's filled positions, and the mover's new
/// role once a move is recorded.
async fn refresh(state: &AppState, app: &Locked, outcome: Outcome) -> Result<()> {
    state
        .engine
        .refresh_opening(&state.db, outcome.opportunity_id)
        .await?;
    if outcome.move_id.is_some() {
        state
            .engine
            .refresh_person(&state.db, app.applicant_id)
            .await?;
    }
    Ok(())
}

async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    engine: &Engine,
    app: &Locked,
    by: Uuid,
    actor: Actor,
    change: &Change,
    today: Date,
) -> Result<Outcome> {
    let to = change.to;
    app.status.transition(to, actor).map_err(|m| {
        AppError::Conflict(if to == ApplicationStatus::Withdrawn {
            format!("This application cannot be withdrawn: {m}.")
        } else {
            capitalise(&m)
        })
    })?;
    let reason = change.reason.trim();
    if to == ApplicationStatus::Rejected && reason.is_empty() {
        return Err(AppError::field("reason", "give a reason for the rejection"));
    }
    let move_id = if to == ApplicationStatus::Accepted {
        let filling = Filling {
            application_id: app.id,
            opportunity_id: app.opportunity_id,
            applicant_id: app.applicant_id,
            owner_id: app.owner_id,
            title: &app.title,
        };
        let move_id = fill_position(tx, &filling, by, change.start_on, today).await?;
        close_if_filled(
            tx,
            engine,
            app.opportunity_id,
            app.id,
            by,
            crate::engine::load::day_number(today),
        )
        .await?;
        move_id
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
        if to == ApplicationStatus::Withdrawn {
            "application.withdrawn"
        } else {
            "application.transition"
        },
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
