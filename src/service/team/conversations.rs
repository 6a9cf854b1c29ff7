//! Career conversations: who may read a person's (the person, their current manager, HR),
//! recording one with a direct report, and reminding a manager of reports without one in
//! 90 days.

use serde_json::json;
use time::Date;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::db::team::{self, NewConversation};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};

/// The person, their current manager, or HR; 404 for anyone else (so the page and the API
/// do not tell whether the person exists).
pub async fn ensure_may_see(state: &AppState, user: &CurrentUser, person: Uuid) -> Result<()> {
    if user.is_hr
        || user.id == person
        || team::ensure_report(&state.db, user.id, person)
            .await
            .is_ok()
    {
        return Ok(());
    }
    Err(AppError::NotFound)
}

/// Record a career conversation `manager` held with their direct report `person` (not in the
/// future; every action described); audited. Errors name `held_on` and
/// `actions/{i}/description`.
pub async fn add(
    state: &AppState,
    manager: Uuid,
    person: Uuid,
    c: NewConversation,
    today: Date,
) -> Result<Uuid> {
    team::ensure_report(&state.db, manager, person).await?;
    if c.held_on > today {
        return Err(AppError::field(
            "held_on",
            "the conversation date cannot be in the future",
        ));
    }
    for (i, a) in c.actions.iter().enumerate() {
        if a.description.trim().is_empty() {
            return Err(AppError::field(
                format!("actions/{i}/description"),
                "describe the action",
            ));
        }
    }
    let mut tx = state.db.begin().await?;
    let id = team::insert_conversation(
        &mut tx,
        person,
        manager,
        c.held_on,
        c.aspirations_heard.trim(),
        c.notes.trim(),
    )
    .await?;
    for a in &c.actions {
        team::insert_action(&mut tx, id, a.description.trim(), person, a.due_on).await?;
    }
    audit::record(
        &mut *tx,
        Actor::Person(manager),
        "conversation.create",
        "career_conversation",
        Some(id.to_string()),
        json!({ "after": { "person_id": person, "held_on": c.held_on } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Send a `conversation_due` reminder for each report without a conversation in 90 days, at
/// most once per 90 days per report. Returns how many were sent.
pub async fn remind_due(state: &AppState, manager: Uuid) -> Result<usize> {
    let due = team::conversations_due(&state.db, manager).await?;
    for r in &due {
        let title = format!("Time for a career conversation with {}", r.display_name);
        let link = format!("/team/{}", r.person_id);
        notify(
            &state.db,
            &NewNotification {
                person_id: manager,
                kind: "conversation_due",
                title: &title,
                body: "No career conversation recorded in the last 90 days.",
                link: Some(&link),
                opportunity_id: None,
                application_id: None,
            },
        )
        .await?;
    }
    Ok(due.len())
}
