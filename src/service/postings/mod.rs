//! Postings as their owner (or HR) manages them: create, edit, publish and close, each
//! checked for ownership and followed by an engine refresh; the applicants and talent views
//! are in `applicants`. The pages and the JSON API both call these.

pub mod applicants;

use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::postings::{self, Editor, Header};
use crate::domain::posting::PostingInput;
use crate::domain::user::CurrentUser;
use crate::error::Result;

/// The signed-in user as a posting editor.
pub fn editor(user: &CurrentUser) -> Editor {
    Editor {
        id: user.id,
        is_hr: user.is_hr,
    }
}

/// The posting's header when the user owns it (or is HR): the check every owner's page and
/// API call makes first.
pub async fn owned(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Header> {
    postings::owned(&state.db, id, editor(user)).await
}

async fn refresh(state: &AppState, id: Uuid) -> Result<()> {
    state.engine.refresh_opening(&state.db, id).await?;
    Ok(())
}

/// Save a new draft.
pub async fn create(state: &AppState, user: &CurrentUser, input: PostingInput) -> Result<Uuid> {
    postings::create(&state.db, user.id, input, crate::domain::today()).await
}

/// Save changes to an owned posting.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: PostingInput,
) -> Result<()> {
    owned(state, user, id).await?;
    postings::update(&state.db, id, editor(user), input, crate::domain::today()).await?;
    refresh(state, id).await
}

/// Publish an owned draft.
pub async fn publish(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    owned(state, user, id).await?;
    postings::publish(&state.db, id, editor(user)).await?;
    refresh(state, id).await
}

/// Close an owned open posting.
pub async fn close(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    owned(state, user, id).await?;
    postings::close(&state.db, id, editor(user)).await?;
    refresh(state, id).await
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
    owned(state, user, id).await?;
    Ok(id)
}
