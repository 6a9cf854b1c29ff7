//! `/scim/v2/Groups` handlers: list, read, create, replace, patch, delete (see `groups` for
//! how Groups map onto departments). Each change runs in one transaction with its audit row.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use uuid::Uuid;

use super::groups::{self, answer, find, read_group, write};
use super::projection::Projection;
use super::query::{AttrQuery, ListQuery, ScimQuery, Search};
use super::{
    base_url, body_json, check_if_match, list_response, patch, respond_projected, GROUP_SCHEMA,
};
use crate::app::state::AppState;
use crate::db::tokens::{audit_change, TokenIdentity};
use crate::http::scim_error::ScimError;

type ScimResult = Result<Response, ScimError>;

/// `GET /Groups`: filter, sort, page, attributes (`excludedAttributes=members` never loads
/// the members).
pub async fn list_groups(
    State(state): State<AppState>,
    ScimQuery(q): ScimQuery<ListQuery>,
) -> ScimResult {
    groups_page(&state, &q.search(&[])?).await
}

/// One page of Groups as a ListResponse (`GET /Groups` and `POST /Groups/.search`).
pub async fn groups_page(state: &AppState, search: &Search) -> ScimResult {
    let (rows, total) = groups::page(&state.db, search).await?;
    let mut conn = state.db.acquire().await?;
    let base = base_url(&state.config);
    let with_members = search.projection.wants("members");
    let resources = groups::to_json(&mut conn, &rows, &base, with_members)
        .await?
        .into_iter()
        .map(|g| search.projection.apply(g, GROUP_SCHEMA))
        .collect();
    Ok(list_response(resources, total, search.offset))
}

/// `GET /Groups/{id}`.
pub async fn get_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
) -> ScimResult {
    let projection = q.projection(&[])?;
    let mut conn = state.db.acquire().await?;
    let row = find(&mut conn, &id, false).await?;
    let base = base_url(&state.config);
    let with_members = projection.wants("members");
    let mut v = groups::to_json(&mut conn, &[row], &base, with_members).await?;
    Ok(respond_projected(
        StatusCode::OK,
        v.remove(0),
        &projection,
        GROUP_SCHEMA,
    ))
}

/// `POST /Groups`: a new department.
pub async fn create_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let projection = q.projection(&[])?;
    let group = read_group(&body_json(&body)?)?;
    let name = &group.name;
    let mut tx = state.db.begin().await?;
    let exists: bool = sqlx::query_scalar(
        "select exists(select 1 from departments where lower(name) = lower($1))",
    )
    .bind(name)
    .fetch_one(&mut *tx)
    .await?;
    if exists {
        return Err(ScimError::uniqueness(format!(
            "A group named '{name}' already exists."
        )));
    }
    let id: Uuid = sqlx::query_scalar("insert into departments (name) values ($1) returning id")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
    write(&mut tx, id, &group).await?;
    let after = answer(&state, &mut tx, id).await?;
    audit_change(
        &mut *tx,
        &token,
        "scim.group.create",
        "department",
        Some(id.to_string()),
        json!({ "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond_projected(
        StatusCode::CREATED,
        after,
        &projection,
        GROUP_SCHEMA,
    ))
}

async fn write_over(
    state: &AppState,
    token: &TokenIdentity,
    headers: &HeaderMap,
    id: &str,
    body: Value,
    message: Option<Value>,
    projection: &Projection,
) -> ScimResult {
    let mut tx = state.db.begin().await?;
    let row = find(&mut tx, id, true).await?;
    check_if_match(headers, row.updated_at)?;
    let before = answer(state, &mut tx, row.id).await?;
    let action = if message.is_some() {
        "scim.group.patch"
    } else {
        "scim.group.replace"
    };
    let target = match message {
        Some(m) => {
            let mut patched = before.clone();
            patch::apply(&mut patched, &m, &[])?;
            patched
        }
        None => body,
    };
    write(&mut tx, row.id, &read_group(&target)?).await?;
    let after = answer(state, &mut tx, row.id).await?;
    audit_change(
        &mut *tx,
        token,
        action,
        "department",
        Some(row.id.to_string()),
        json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(respond_projected(
        StatusCode::OK,
        after,
        projection,
        GROUP_SCHEMA,
    ))
}

/// `PUT /Groups/{id}`.
pub async fn replace_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let projection = q.projection(&[])?;
    let body = body_json(&body)?;
    write_over(&state, &token, &headers, &id, body, None, &projection).await
}

/// `PATCH /Groups/{id}`: typically members add/remove.
pub async fn patch_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ScimQuery(q): ScimQuery<AttrQuery>,
    body: Bytes,
) -> ScimResult {
    let projection = q.projection(&[])?;
    let message = Some(body_json(&body)?);
    write_over(
        &state,
        &token,
        &headers,
        &id,
        Value::Null,
        message,
        &projection,
    )
    .await
}

/// `DELETE /Groups/{id}`: members leave the department, then it is deleted.
pub async fn delete_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ScimResult {
    let mut tx = state.db.begin().await?;
    let row = find(&mut tx, &id, true).await?;
    check_if_match(&headers, row.updated_at)?;
    let before = answer(&state, &mut tx, row.id).await?;
    sqlx::query("update people set department_id = null where department_id = $1")
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from departments where id = $1")
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    audit_change(
        &mut *tx,
        &token,
        "scim.group.delete",
        "department",
        Some(row.id.to_string()),
        json!({ "before": before }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
