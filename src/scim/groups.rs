//! SCIM Groups are Trellis departments: displayName is the department's name, externalId the
//! identity provider's id for it, members are the (provisioned) people in it. A person is in
//! one department at most, so adding a member who is in another group is refused (409
//! `uniqueness`, naming that group) rather than moving them without a word; removing a
//! member leaves them without a department. Deleting a group empties and deletes the
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
    pub external_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str =
    "select d.id, d.name, d.external_id, d.created_at, d.updated_at from departments d where true";

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
        if let Some(x) = &g.external_id {
            v["externalId"] = json!(x);
        }
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

/// What a Group resource says: its name, externalId and members.
pub struct GroupInput {
    pub name: String,
    pub external_id: Option<String>,
    pub members: Vec<Uuid>,
}

fn text(body: &Value, attr: &str) -> Option<String> {
    get_ci(body, attr)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Read a Group resource.
pub fn read_group(body: &Value) -> Result<GroupInput, ScimError> {
    let name = text(body, "displayName")
        .ok_or_else(|| ScimError::invalid_value("displayName is required."))?;
    let mut members = vec![];
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
            members.push(id);
        }
    }
    members.sort();
    members.dedup();
    Ok(GroupInput {
        name,
        external_id: text(body, "externalId"),
        members,
    })
}

/// Refuse members who are in another group: a person is in one department at most.
async fn check_exclusive(conn: &mut PgConnection, id: Uuid, ids: &[Uuid]) -> Result<(), ScimError> {
    let elsewhere: Option<(String, String)> = sqlx::query_as(
        "select p.display_name, d.name from people p join departments d on d.id = p.department_id
         where p.id = any($1) and p.department_id <> $2 order by p.display_name limit 1",
    )
    .bind(ids)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match elsewhere {
        Some((person, group)) => Err(ScimError::uniqueness(format!(
            "{person} is already a member of the group '{group}': a Group is a department in \
             Trellis and a person is in one at most, so remove them from '{group}' first."
        ))),
        None => Ok(()),
    }
}

/// Make the department's name, externalId and members what the resource says.
pub async fn write(conn: &mut PgConnection, id: Uuid, group: &GroupInput) -> Result<(), ScimError> {
    let name = &group.name;
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
    if let Some(x) = &group.external_id {
        let holder: Option<String> =
            sqlx::query_scalar("select name from departments where external_id = $1 and id <> $2")
                .bind(x)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(other) = holder {
            return Err(ScimError::uniqueness(format!(
                "externalId '{x}' is already the group '{other}'."
            )));
        }
    }
    let ids = &group.members;
    let known: i64 = sqlx::query_scalar(
        "select count(*) from people where id = any($1) and deprovisioned_at is null",
    )
    .bind(ids)
    .fetch_one(&mut *conn)
    .await?;
    if known != ids.len() as i64 {
        return Err(ScimError::invalid_value("A member is not a known User."));
    }
    check_exclusive(conn, id, ids).await?;
    sqlx::query(
        "update departments set name = $2, external_id = $3, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(&group.external_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("update people set department_id = null where department_id = $1 and not (id = any($2)) and deprovisioned_at is null")
        .bind(id).bind(ids).execute(&mut *conn).await?;
    sqlx::query("update people set department_id = $1 where id = any($2) and department_id is distinct from $1")
        .bind(id).bind(ids).execute(&mut *conn).await?;
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
