//! SCIM Groups are Trellis departments: displayName is the department's name, members are
//! the (provisioned) people in it. Adding a member moves the person into the department;
//! removing one leaves them without a department. Deleting a group empties and deletes the
//! department (refused while openings or job profiles still refer to it).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::ScimError;
use super::filter::get_ci;
use super::sql::{push_filter, push_order, Resource};
use super::{
    base_url, body_json, check_if_match, etag, list_response, patch, respond, ListQuery,
    GROUP_SCHEMA,
};
use crate::db::tokens::{audit_change, TokenIdentity};
use crate::state::AppState;

type ScimResult = Result<Response, ScimError>;

#[derive(Debug, sqlx::FromRow)]
struct GroupRow {
    id: Uuid,
    name: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

const SELECT: &str =
    "select d.id, d.name, d.created_at, d.updated_at from departments d where true";

async fn members(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid, String)>, ScimError> {
    Ok(sqlx::query_as(
        "select department_id as \"d\", id, display_name from people
         where department_id = any($1) and deprovisioned_at is null order by display_name, id",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?)
}

async fn to_json(
    conn: &mut PgConnection,
    rows: &[GroupRow],
    base: &str,
    with_members: bool,
) -> Result<Vec<Value>, ScimError> {
    let all = if with_members {
        members(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?
    } else {
        vec![]
    };
    Ok(rows.iter().map(|g| {
        let mut v = json!({
            "schemas": [GROUP_SCHEMA],
            "id": g.id.to_string(),
            "displayName": g.name,
            "meta": { "resourceType": "Group", "created": g.created_at.format(&Rfc3339).unwrap_or_default(),
                      "lastModified": g.updated_at.format(&Rfc3339).unwrap_or_default(),
                      "location": format!("{base}/Groups/{}", g.id), "version": etag(g.updated_at) },
        });
        if with_members {
            v["members"] = all.iter().filter(|(d, _, _)| *d == g.id)
                .map(|(_, id, name)| json!({ "value": id.to_string(), "display": name,
                    "$ref": format!("{base}/Users/{id}"), "type": "User" }))
                .collect();
        }
        v
    }).collect())
}

async fn find(conn: &mut PgConnection, id: &str, lock: bool) -> Result<GroupRow, ScimError> {
    let id = Uuid::parse_str(id).map_err(|_| ScimError::not_found("Group"))?;
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    qb.push(" and d.id = ").push_bind(id);
    if lock {
        qb.push(" for update");
    }
    qb.build_query_as::<GroupRow>()
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ScimError::not_found("Group"))
}

/// `GET /Groups` (`excludedAttributes=members` leaves members out).
pub async fn list_groups(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
    Query(extra): Query<std::collections::HashMap<String, String>>,
) -> ScimResult {
    let (filter, offset, limit, descending) = q.parts()?;
    let mut count = QueryBuilder::<Postgres>::new(format!("select count(*) from ({SELECT}"));
    let mut page = QueryBuilder::<Postgres>::new(SELECT);
    for qb in [&mut count, &mut page] {
        if let Some(f) = &filter {
            qb.push(" and ");
            push_filter(qb, Resource::Group, f)?;
        }
    }
    count.push(") as matching");
    let total: i64 = count.build_query_scalar().fetch_one(&state.db).await?;
    push_order(&mut page, Resource::Group, q.sort_by.as_deref(), descending)?;
    page.push(" offset ")
        .push_bind(offset)
        .push(" limit ")
        .push_bind(limit);
    let rows = page
        .build_query_as::<GroupRow>()
        .fetch_all(&state.db)
        .await?;
    let with_members = !extra
        .get("excludedAttributes")
        .is_some_and(|e| e.to_ascii_lowercase().contains("members"));
    let mut conn = state.db.acquire().await?;
    let base = base_url(&headers, state.config.secure_cookies);
    Ok(list_response(
        to_json(&mut conn, &rows, &base, with_members).await?,
        total,
        offset,
    ))
}

/// `GET /Groups/{id}`.
pub async fn get_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ScimResult {
    let mut conn = state.db.acquire().await?;
    let row = find(&mut conn, &id, false).await?;
    let base = base_url(&headers, state.config.secure_cookies);
    let mut v = to_json(&mut conn, &[row], &base, true).await?;
    Ok(respond(StatusCode::OK, v.remove(0)))
}

/// displayName and member ids of a Group resource.
fn read_group(body: &Value) -> Result<(String, Vec<Uuid>), ScimError> {
    let name = get_ci(body, "displayName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ScimError::invalid_value("displayName is required."))?;
    let mut ids = vec![];
    if let Some(m) = get_ci(body, "members") {
        for item in m
            .as_array()
            .ok_or_else(|| ScimError::invalid_value("members is an array."))?
        {
            let id = get_ci(item, "value")
                .and_then(Value::as_str)
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| {
                    ScimError::invalid_value("Each member's value is the id of a User.")
                })?;
            ids.push(id);
        }
    }
    Ok((name.to_string(), ids))
}

/// Make the department's name and members what the resource says.
async fn write(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    ids: &[Uuid],
) -> Result<(), ScimError> {
    let taken: bool = sqlx::query_scalar(
        "select exists(select 1 from departments where lower(name) = lower($1) and id <> $2)",
    )
    .bind(name)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if taken {
        return Err(ScimError::uniqueness(format!(
            "A group named '{name}' already exists."
        )));
    }
    let known: i64 = sqlx::query_scalar(
        "select count(*) from people where id = any($1) and deprovisioned_at is null",
    )
    .bind(ids)
    .fetch_one(&mut *conn)
    .await?;
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    if known != unique.len() as i64 {
        return Err(ScimError::invalid_value("A member is not a known User."));
    }
    sqlx::query("update departments set name = $2, updated_at = now() where id = $1")
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    sqlx::query("update people set department_id = null where department_id = $1 and not (id = any($2)) and deprovisioned_at is null")
        .bind(id).bind(&unique).execute(&mut *conn).await?;
    sqlx::query("update people set department_id = $1 where id = any($2) and department_id is distinct from $1")
        .bind(id).bind(&unique).execute(&mut *conn).await?;
    Ok(())
}

async fn answer(
    state: &AppState,
    conn: &mut PgConnection,
    headers: &HeaderMap,
    id: Uuid,
) -> Result<Value, ScimError> {
    let row = find(conn, &id.to_string(), false).await?;
    let base = base_url(headers, state.config.secure_cookies);
    Ok(to_json(conn, &[row], &base, true).await?.remove(0))
}

/// `POST /Groups`: a new department.
pub async fn create_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    body: Bytes,
) -> ScimResult {
    let (name, ids) = read_group(&body_json(&body)?)?;
    let mut tx = state.db.begin().await?;
    let exists: bool = sqlx::query_scalar(
        "select exists(select 1 from departments where lower(name) = lower($1))",
    )
    .bind(&name)
    .fetch_one(&mut *tx)
    .await?;
    if exists {
        return Err(ScimError::uniqueness(format!(
            "A group named '{name}' already exists."
        )));
    }
    let id: Uuid = sqlx::query_scalar("insert into departments (name) values ($1) returning id")
        .bind(&name)
        .fetch_one(&mut *tx)
        .await?;
    write(&mut tx, id, &name, &ids).await?;
    let after = answer(&state, &mut tx, &headers, id).await?;
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
    Ok(respond(StatusCode::CREATED, after))
}

async fn write_over(
    state: &AppState,
    token: &TokenIdentity,
    headers: &HeaderMap,
    id: &str,
    body: Value,
    message: Option<Value>,
) -> ScimResult {
    let mut tx = state.db.begin().await?;
    let row = find(&mut tx, id, true).await?;
    check_if_match(headers, row.updated_at)?;
    let before = answer(state, &mut tx, headers, row.id).await?;
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
    let (name, ids) = read_group(&target)?;
    write(&mut tx, row.id, &name, &ids).await?;
    let after = answer(state, &mut tx, headers, row.id).await?;
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
    Ok(respond(StatusCode::OK, after))
}

/// `PUT /Groups/{id}`.
pub async fn replace_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    write_over(&state, &token, &headers, &id, body_json(&body)?, None).await
}

/// `PATCH /Groups/{id}`: typically members add/remove.
pub async fn patch_group(
    State(state): State<AppState>,
    Extension(token): Extension<TokenIdentity>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    write_over(
        &state,
        &token,
        &headers,
        &id,
        Value::Null,
        Some(body_json(&body)?),
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
    let before = answer(&state, &mut tx, &headers, row.id).await?;
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
