//! What a manager decides about a direct report: validating (or adjusting) a skill level,
//! which then reaches the matching engine, and approving or declining the hours of a
//! project the report applied to. Each is audited; the hours decision is notified.

use serde_json::json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::db::team;
use crate::domain::skill_level::SkillLevel;
use crate::error::{AppError, Result};

/// Validate or adjust a report's skill level (manager-validated evidence) and refresh the
/// report in the matching engine. 404 unless `person` reports to `manager` and holds the
/// skill; the field `level` must be 1 to 5.
pub async fn validate_skill(
    state: &AppState,
    manager: Uuid,
    person: Uuid,
    skill: Uuid,
    level: i16,
) -> Result<()> {
    team::ensure_report(&state.db, manager, person).await?;
    let level = SkillLevel::try_from(i64::from(level))
        .map_err(|_| AppError::field("level", "level must be between 1 and 5"))?;
    let level = i16::from(level.get());
    let mut tx = state.db.begin().await?;
    let before = team::lock_held(&mut tx, person, skill)
        .await?
        .ok_or(AppError::NotFound)?;
    team::set_validated(&mut tx, person, skill, level, manager).await?;
    audit::record(
        &mut *tx,
        Actor::Person(manager),
        "person_skill.validate",
        "person_skill",
        Some(format!("{person}/{skill}")),
        json!({ "before": { "level": before.level, "evidence": before.evidence },
                "after": { "level": level, "evidence": "manager_validated" } }),
    )
    .await?;
    tx.commit().await?;
    state.engine.refresh_person(&state.db, person).await?;
    Ok(())
}

/// Approve or decline a report's project hours (404 for anyone else's application, 409 once
/// decided); the report is told.
pub async fn decide_hours(
    state: &AppState,
    manager: Uuid,
    application: Uuid,
    approve: bool,
) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let a = team::lock_hours_request(&mut tx, manager, application)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.manager_approval != "pending" {
        return Err(AppError::Conflict(format!(
            "The hours are already {}.",
            a.manager_approval
        )));
    }
    let decision = if approve { "approved" } else { "declined" };
    team::set_hours_decision(&mut tx, application, decision, manager).await?;
    let title = format!(
        "Your manager {decision} the hours for {}",
        a.opportunity_title
    );
    let link = format!("/applications/{application}");
    notify(
        &mut *tx,
        &NewNotification {
            person_id: a.applicant_id,
            kind: "approval_decision",
            title: &title,
            body: "",
            link: Some(&link),
            opportunity_id: Some(a.opportunity_id),
            application_id: Some(application),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(manager),
        "application.hours_decision",
        "application",
        Some(application.to_string()),
        json!({ "before": { "manager_approval": "pending" },
                "after": { "manager_approval": decision } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
