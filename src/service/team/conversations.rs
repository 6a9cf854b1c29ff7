//! Career conversations: who may read a person's (the person, their current manager, HR).

use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::team;
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
