//! The alias and related-skill forms on `/hr/skills/{id}`: each calls
//! `service::taxonomy::links`, then goes back to the edit page, or shows it again with the
//! message and what was typed.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::skills::{show_edit, LinkDraft};
use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::session::CurrentUser;
use crate::service::taxonomy::links::{
    add_alias, add_related, remove_alias, remove_related, AliasForm, RelatedForm, UnrelateForm,
};

/// After a form: back to the edit page, or the page again with the message and the input.
async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    result: Result<()>,
    draft: LinkDraft,
) -> Result<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/hr/skills/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let message = errors.first().map(|e| e.message.clone());
            let related = errors.iter().any(|e| e.field != "/alias");
            let draft = if related {
                LinkDraft {
                    related_error: message,
                    ..draft
                }
            } else {
                LinkDraft {
                    alias_error: message,
                    ..draft
                }
            };
            let mut response = show_edit(state, user, id, None, draft)
                .await?
                .into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

/// POST /hr/skills/{id}/aliases
pub async fn post_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AliasForm>,
) -> Result<Response> {
    let result = add_alias(&state, &user, id, &f.alias).await;
    answer(
        &state,
        &user,
        id,
        result,
        LinkDraft {
            alias: f.alias,
            ..LinkDraft::default()
        },
    )
    .await
}

/// POST /hr/skills/{id}/aliases/remove
pub async fn post_remove_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AliasForm>,
) -> Result<Response> {
    let result = remove_alias(&state, &user, id, &f.alias).await;
    answer(&state, &user, id, result, LinkDraft::default()).await
}

/// POST /hr/skills/{id}/related
pub async fn post_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<RelatedForm>,
) -> Result<Response> {
    let result = add_related(&state, &user, id, &f).await;
    let strength = match &f.strength {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    answer(
        &state,
        &user,
        id,
        result,
        LinkDraft {
            related: f.skill,
            strength,
            ..LinkDraft::default()
        },
    )
    .await
}

/// POST /hr/skills/{id}/related/remove
pub async fn post_remove_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<UnrelateForm>,
) -> Result<Response> {
    let result = remove_related(&state, &user, id, f.related_id).await;
    answer(&state, &user, id, result, LinkDraft::default()).await
}
