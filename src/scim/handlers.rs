//! `/scim/v2/Users` handlers: list, read, create, replace, patch, delete. Each change runs in
//! one transaction with its audit row (actor: the token).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::IF_NONE_MATCH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use uuid::Uuid;

use super::projection::Projection;
use super::query::{AttrQuery, ListQuery, ScimQuery, Search};
use super::user_input::{self, has_employee_number, Previous};
use super::user_writes;
use super::users::{self, UserRow};
use super::{
    base_url, body_json, check_if_match, list_response, patch, respond_projected, ENTERPRISE_USER,
    USER_SCHEMA,
};
use crate::app::state::AppState;
use crate::db::tokens::{audit_change, TokenIdentity};
use crate::http::scim_error::ScimError;

type ScimResult = Result<Response, ScimError>;

fn parse_id(id: &str) -> Result<Uuid, ScimError> {
    Uuid::parse_str(id).map_err(|_| ScimError::not_found("User"))
}

/// `GET /Users`: filter, sort, page, attributes.
pub async fn list_users(
    State(state): State<AppState>,
    ScimQuery(q): ScimQuery<ListQuery>,
) -> ScimResult {
    users_page(&state, &q.search(&[ENTERPRISE_USER])?).await
}

/// One page of Users as a ListResponse (`GET /Users` and `POST /Users/.search`).
pub async fn users_page(state: &AppState, search: &Search) -> ScimResult {
    let (rows, total) = users::list(
        &state.db,
        search.filter.as_ref(),
        search.sort_by.as_deref(),
        search.descending,
        search.offset,
        search.limit,
    )
    .await?;
    let base = base_url(&state.config);
    Ok(list_response(
        rows.iter()
            .map(|r| search.projection.apply(r.to_json(&base), USER_SCHEMA))
            .collect(),
        total,
        search.offset,
    ))
}

/// `GET /Users/{id}`; `If-None-Match` with the current version answers 304.
pub async fn get_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
) -> ScimResult {
    let projection = q.projection(&[ENTERPRISE_USER])?;
    let mut conn = state.db.acquire().await?;
    let row = users::find(&mut conn, parse_id(&id)?, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let version = super::etag(row.updated_at);
    if headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(version.as_str()) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    Ok(respond_projected(
        StatusCode::OK,
        row.to_json(&base_url(&state.config)),
        &projection,
        USER_SCHEMA,
    ))
}

/// `POST /Users`.
pub async fn create_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let projection = q.projection(&[ENTERPRISE_USER])?;
    let input = user_input::input(&body_json(&body)?, None)?;
    let mut tx = state.db.begin().await?;
    let (id, action) = match user_writes::deleted_match(&mut tx, &input).await? {
        Some(id) => {
            user_writes::rehire(&mut tx, id, &input).await?;
            (id, "scim.user.rehire")
        }
        None => (
            user_writes::insert(&mut tx, &input).await?,
            "scim.user.create",
        ),
    };
    let row = users::find(&mut tx, id, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let base = base_url(&state.config);
    let after = row.to_json(&base);
    audit_change(
        &mut *tx,
        &token,
        action,
        "person",
        Some(id.to_string()),
        json!({ "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond_projected(
        StatusCode::CREATED,
        after,
        &projection,
        USER_SCHEMA,
    ))
}

/// What a PUT or PATCH writes over a user, and how to answer.
struct Write {
    id: Uuid,
    action: &'static str,
    /// The replacement (PUT), or the PatchOp message (PATCH).
    body: Value,
    is_patch: bool,
    projection: Projection,
}

/// Write over the user (PUT, and PATCH after applying its operations).
async fn write_over(
    state: &AppState,
    token: &TokenIdentity,
    headers: &HeaderMap,
    w: Write,
) -> ScimResult {
    let id = w.id;
    let base = base_url(&state.config);
    let mut tx = state.db.begin().await?;
    let before = users::find(&mut tx, id, true)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    check_if_match(headers, before.updated_at)?;
    let before_json = before.to_json(&base);
    let target = if w.is_patch {
        let mut patched = before_json.clone();
        patch::apply(&mut patched, &w.body, &[ENTERPRISE_USER])?;
        patched
    } else {
        w.body
    };
    let previous = Previous {
        user_name: &before.user_name,
        email: &before.email,
    };
    let mut input = user_input::input(&target, Some(previous))?;
    if w.is_patch && !has_employee_number(&target) {
        // removed by the PATCH: a generated one, as on a create without one
        input.employee_number = Some(user_writes::generated_number());
    }
    user_writes::update(&mut tx, id, &input).await?;
    let after: UserRow = users::find(&mut tx, id, false)
        .await?
        .ok_or_else(|| ScimError::not_found("User"))?;
    let after_json = after.to_json(&base);
    audit_change(
        &mut *tx,
        token,
        w.action,
        "person",
        Some(id.to_string()),
        json!({ "before": before_json, "after": after_json }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond_projected(
        StatusCode::OK,
        after_json,
        &w.projection,
        USER_SCHEMA,
    ))
}

/// `PUT /Users/{id}`: replace (read-only attributes are ignored).
pub async fn replace_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let w = Write {
        id: parse_id(&id)?,
        action: "scim.user.replace",
        projection: q.projection(&[ENTERPRISE_USER])?,
        body: body_json(&body)?,
        is_patch: false,
    };
    write_over(&state, &token, &headers, w).await
}

/// `PATCH /Users/{id}`: add, replace, remove.
pub async fn patch_user(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let w = Write {
        id: parse_id(&id)?,
        action: "scim.user.patch",
        projection: q.projection(&[ENTERPRISE_USER])?,
        body: body_json(&body)?,
        is_patch: true,
    };
    write_over(&state, &token, &headers, w).await
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
    user_writes::deprovision(&mut tx, id).await?;
    let base = base_url(&state.config);
    audit_change(&mut *tx, &token, "scim.user.delete", "person", Some(id.to_string()),
        json!({ "before": before.to_json(&base), "after": { "employment_status": "terminated", "deprovisioned": true } })).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
