//! `/scim/v2/Users` handlers: list, read, create, replace, patch, delete. Each change runs in
//! one transaction with its audit row (actor: the token).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::IF_NONE_MATCH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use uuid::Uuid;

use super::error::ScimError;
use super::users::{self, UserRow};
use super::{
    base_url, body_json, check_if_match, list_response, patch, respond, ListQuery, ENTERPRISE_USER,
};
use crate::db::tokens::{audit_change, TokenIdentity};
use crate::state::AppState;

type ScimResult = Result<Response, ScimError>;

fn parse_id(id: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(id).map_err(|_| ScimError::not_found("User"))
}

/// `GET /Users`: filter, sort, page.
pub async fn list_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ScimResult {
    let (filter, offset, limit, descending) = q.parts()?;
    let (rows, total) = users::list(
        &state.db,
        filter.as_ref(),
        q.sort_by.as_deref(),
        descending,
        offset,
        limit,
    )
    .await?;
    let base = base_url(&headers, state.config.secure_cookies);
    Ok(list_response(
        rows.iter().map(|r| r.to_json(&base)).collect(),
        total,
        offset,
    ))
}

/// `GET /Users/{id}`; `If-None-Match` with the current version answers 304.
pub async fn get_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ScimResult {
    let mut conn = state.db.acquire().await?;
    let row = users::find(&mut conn, parse_id(&id)?, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let version = super::etag(row.updated_at);
    if headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(version.as_str()) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    Ok(respond(
        StatusCode::OK,
        row.to_json(&base_url(&headers, state.config.secure_cookies)),
    ))
}

/// `POST /Users`.
pub async fn create_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    body: Bytes,
) -> ScimResult {
    let input = users::input(&body_json(&body)?, None)?;
    let mut tx = state.db.begin().await?;
    let id = users::insert(&mut tx, &input).await?;
    let row = users::find(&mut tx, id, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let base = base_url(&headers, state.config.secure_cookies);
    let after = row.to_json(&base);
    audit_change(
        &mut *tx,
        &token,
        "scim.user.create",
        "person",
        Some(id.to_string()),
        json!({ "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond(StatusCode::CREATED, after))
}

/// Write `body` over the user `id` (PUT, and PATCH after applying its operations).
async fn write_over(
    state: &AppState,
    token: &TokenIdentity,
    headers: &HeaderMap,
    id: Uuid,
    action: &str,
    body: Value,
    patch_message: Option<Value>,
) -> ScimResult {
    let base = base_url(headers, state.config.secure_cookies);
    let mut tx = state.db.begin().await?;
    let before = users::find(&mut tx, id, true)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    check_if_match(headers, before.updated_at)?;
    let before_json = before.to_json(&base);
    let target = match patch_message {
        Some(message) => {
            let mut patched = before_json.clone();
            patch::apply(&mut patched, &message, &[ENTERPRISE_USER])?;
            patched
        }
        None => body,
    };
    let input = users::input(&target, Some(&before.email))?;
    users::update(&mut tx, id, &input).await?;
    let after: UserRow = users::find(&mut tx, id, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let after_json = after.to_json(&base);
    audit_change(
        &mut *tx,
        token,
        action,
        "person",
        Some(id.to_string()),
        json!({ "before": before_json, "after": after_json }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond(StatusCode::OK, after_json))
}

/// `PUT /Users/{id}`: replace (read-only attributes are ignored).
pub async fn replace_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = parse_id(&id)?;
    let body = body_json(&body)?;
    write_over(
        &state,
        &token,
        &headers,
        id,
        "scim.user.replace",
        body,
        None,
    )
    .await
}

/// `PATCH /Users/{id}`: add, replace, remove.
pub async fn patch_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = parse_id(&id)?;
    let message = body_json(&body)?;
    write_over(
        &state,
        &token,
        &headers,
        id,
        "scim.user.patch",
        Value::Null,
        Some(message),
    )
    .await
}

/// `DELETE /Users/{id}`: deprovision (terminated today, sessions ended, history kept).
pub async fn delete_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ScimResult {
    let id = parse_id(&id)?;
    let mut tx = state.db.begin().await?;
    let before = users::find(&mut tx, id, true)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    check_if_match(&headers, before.updated_at)?;
    users::deprovision(&mut tx, id).await?;
    let base = base_url(&headers, state.config.secure_cookies);
    audit_change(&mut *tx, &token, "scim.user.delete", "person", Some(id.to_string()),
        json!({ "before": before.to_json(&base), "after": { "employment_status": "terminated", "deprovisioned": true } })).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
