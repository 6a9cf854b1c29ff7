//! SCIM Groups are Trellis departments: displayName is the department's name, members are
//! the (provisioned) people in it. Adding a member moves the person into the department;
//! removing one leaves them without a department. Deleting a group empties and deletes the
//! department (refused while openings or job profiles still refer to it). The handlers are in
//! `group_handlers`.

use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::filter::get_ci;
use super::query::Search;
use super::sql::{push_filter, push_order, Resource};
use super::{base_url, etag, GROUP_SCHEMA};
use crate::app::state::AppState;
use crate::http::scim_error::ScimError;

/// One department as SCIM sees it (members are loaded separately, when wanted).
#[derive(Debug, sqlx::FromRow)]
pub struct GroupRow {
    pub id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str =
    "select d.id, d.name, d.created_at, d.updated_at from departments d where true";

/// The departments SCIM sees (`d`); ends in a `where`, so conditions follow with `and`.
pub const FROM: &str = "from departments d where true";

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

/// The SCIM representations of `rows`; members are read (in one query) only when
/// `with_members`, so `excludedAttributes=members` never loads a large department.
pub async fn to_json(
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

/// One group by its id (404 when unknown); `lock` takes a row lock.
pub async fn find(conn: &mut PgConnection, id: &str, lock: bool) -> Result<GroupRow, ScimError> {
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

/// displayName and member ids of a Group resource.
pub fn read_group(body: &Value) -> Result<(String, Vec<Uuid>), ScimError> {
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
pub async fn write(
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

/// The whole group, members included (for write responses and audit rows).
pub async fn answer(
    state: &AppState,
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Value, ScimError> {
    let row = find(conn, &id.to_string(), false).await?;
    let base = base_url(&state.config);
    Ok(to_json(conn, &[row], &base, true).await?.remove(0))
}

/// A page of groups matching the search, and the total.
pub async fn page(db: &PgPool, search: &Search) -> Result<(Vec<GroupRow>, i64), ScimError> {
    let mut count = QueryBuilder::<Postgres>::new(format!("select count(*) from ({SELECT}"));
    let mut page = QueryBuilder::<Postgres>::new(SELECT);
    for qb in [&mut count, &mut page] {
        if let Some(f) = &search.filter {
            qb.push(" and ");
            push_filter(qb, Resource::Group, f)?;
        }
    }
    count.push(") as matching");
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;
    push_order(
        &mut page,
        Resource::Group,
        search.sort_by.as_deref(),
        search.descending,
    )?;
    page.push(" offset ")
        .push_bind(search.offset)
        .push(" limit ")
        .push_bind(search.limit);
    let rows = page.build_query_as::<GroupRow>().fetch_all(db).await?;
    Ok((rows, total))
}

/// The groups with these ids, in no particular order.
pub async fn by_ids(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<GroupRow>, ScimError> {
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    qb.push(" and d.id = any(").push_bind(ids).push(")");
    Ok(qb.build_query_as::<GroupRow>().fetch_all(conn).await?)
}
