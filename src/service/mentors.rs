//! Mentorship, for the pages and the API alike: asking a mentor (refused for oneself, for
//! someone who does not offer mentoring in the skill, and while a request to them is open)
//! and the mentor's answer. Both sides are notified; both steps are audited.

use serde_json::json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::mentors;
use crate::db::notifications::{notify, NewNotification};
use crate::error::{AppError, Result};

/// Where the notifications of both sides link to.
const REQUESTS_LINK: &str = "/mentors#requests";

/// Ask `mentor` for mentoring in `skill`; returns the request's id. Errors name the fields
/// `mentor_id` and `message`.
pub async fn request(
    state: &AppState,
    mentee: Uuid,
    mentor: Uuid,
    skill: Uuid,
    message: &str,
) -> Result<Uuid> {
    if mentee == mentor {
        return Err(AppError::field(
            "mentor_id",
            "you cannot ask yourself to be your mentor",
        ));
    }
    if message.chars().count() > 2000 {
        return Err(AppError::field(
            "message",
            "must be at most 2,000 characters",
        ));
    }
    let message = message.trim();
    let mut tx = state.db.begin().await?;
    let offer = mentors::offer(&mut tx, mentor, skill, mentee)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "mentor_id",
                "this person does not offer mentoring in this skill",
            )
        })?;
    mentors::lock_pair(&mut tx, mentee, mentor).await?;
    if mentors::has_open_request(&mut tx, mentee, mentor).await? {
        return Err(AppError::Conflict(
            "you already have an open request with this mentor".into(),
        ));
    }
    let id = mentors::insert_request(&mut tx, mentor, mentee, skill, message).await?;
    let title = format!("{} asks you for mentoring in {}", offer.mentee, offer.skill);
    notify(
        &mut *tx,
        &NewNotification {
            person_id: mentor,
            kind: "mentorship_request",
            title: &title,
            body: message,
            link: Some(REQUESTS_LINK),
            ..NewNotification::default()
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(mentee),
        "mentorship.requested",
        "mentorship_request",
        Some(id.to_string()),
        json!({ "mentor_id": mentor, "skill_id": skill }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The mentor accepts or declines an open request addressed to them (NotFound otherwise,
/// Conflict once it has been answered).
pub async fn respond(state: &AppState, mentor: Uuid, request: Uuid, accept: bool) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let r = mentors::lock_addressed(&mut tx, mentor, request)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.status != "requested" {
        return Err(AppError::Conflict(format!(
            "this request is already {}",
            r.status
        )));
    }
    let status = if accept { "accepted" } else { "declined" };
    mentors::answer(&mut tx, request, status).await?;
    let title = format!("{} {status} your mentoring request", r.mentor);
    notify(
        &mut *tx,
        &NewNotification {
            person_id: r.mentee_id,
            kind: "mentorship_response",
            title: &title,
            link: Some(REQUESTS_LINK),
            ..NewNotification::default()
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(mentor),
        "mentorship.answered",
        "mentorship_request",
        Some(request.to_string()),
        json!({ "before": "requested", "after": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
