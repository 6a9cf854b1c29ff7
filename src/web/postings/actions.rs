//! What the posting pages and their JSON twins both do: check who asks, write, and keep the
//! matching engine in step.

use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::pipeline::{self, Change, Outcome, Requester};
use crate::db::postings::{self, Editor};
use crate::domain::posting::PostingInput;
use crate::error::Result;
use crate::http::session::CurrentUser;

/// The signed-in user as a posting editor.
pub fn editor(user: &CurrentUser) -> Editor {
    Editor {
        id: user.id,
        is_hr: user.is_hr,
    }
}

/// The signed-in user as someone asking for a stage change.
pub fn requester(user: &CurrentUser) -> Requester {
    Requester {
        id: user.id,
        is_hr: user.is_hr,
    }
}

async fn refresh(state: &AppState, id: Uuid) -> Result<()> {
    state.engine.refresh_opening(&state.db, id).await?;
    Ok(())
}

/// Save a new draft.
pub async fn create(state: &AppState, user: &CurrentUser, input: PostingInput) -> Result<Uuid> {
    postings::create(&state.db, user.id, input, crate::db::team::today()).await
}

/// Save changes to an owned posting.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: PostingInput,
) -> Result<()> {
    postings::owned(&state.db, id, editor(user)).await?;
    postings::update(&state.db, id, editor(user), input, crate::db::team::today()).await?;
    refresh(state, id).await
}

/// Publish an owned draft.
pub async fn publish(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    postings::owned(&state.db, id, editor(user)).await?;
    postings::publish(&state.db, id, editor(user)).await?;
    refresh(state, id).await
}

/// Close an owned open posting.
pub async fn close(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    postings::owned(&state.db, id, editor(user)).await?;
    postings::close(&state.db, id, editor(user)).await?;
    refresh(state, id).await
}

async fn after_move(state: &AppState, application: Uuid, outcome: Outcome) -> Result<()> {
    refresh(state, outcome.opportunity_id).await?;
    if outcome.move_id.is_some() {
        let person = sqlx::query_scalar!(
            "select applicant_id from applications where id = $1",
            application
        )
        .fetch_one(&state.db)
        .await?;
        state.engine.refresh_person(&state.db, person).await?;
    }
    Ok(())
}

/// The owner (or HR) moves an application.
pub async fn transition(
    state: &AppState,
    user: &CurrentUser,
    application: Uuid,
    change: Change,
) -> Result<()> {
    let outcome = pipeline::owner_transition(
        &state.db,
        application,
        requester(user),
        change,
        crate::db::team::today(),
    )
    .await?;
    after_move(state, application, outcome).await
}

/// The applicant answers their offer.
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    application: Uuid,
    change: Change,
) -> Result<()> {
    let outcome = pipeline::applicant_answer(
        &state.db,
        application,
        user.id,
        change,
        crate::db::team::today(),
    )
    .await?;
    after_move(state, application, outcome).await
}

/// The posting of an application, checked for ownership.
pub async fn posting_of_application(
    state: &AppState,
    user: &CurrentUser,
    application: Uuid,
) -> Result<Uuid> {
    let id = sqlx::query_scalar!(
        "select opportunity_id from applications where id = $1",
        application
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(crate::error::AppError::NotFound)?;
    postings::owned(&state.db, id, editor(user)).await?;
    Ok(id)
}
